package cmi.datacard.tests

import cmi.datacard.*
import kotlinx.coroutines.*

val operationTests: List<Pair<String, () -> Unit>> = listOf(
    "callJson sends a wire-named body and answers wire JSON" to {
        runBlocking {
            val c = client()
            val answer = c.callJson("queryDataBundles", """{"cooperationMode":"1"}""")
            check(answer.contains("dataBundles")) { answer.take(200) }
            eq(c.tokenRequests(), 1uL, "token requests")
            c.callJson("query_esim_card_info", """{"iccid":"$ICCID_ESIM"}""")
            eq(c.tokenRequests(), 1uL, "the token is cached")
        }
    },
)

val errorTests: List<Pair<String, () -> Unit>> = listOf(
    "a platform code is CmiException.Api with its table data" to {
        runBlocking {
            try {
                client().cardSummary(UNKNOWN_ICCID)
                throw Check("no error")
            } catch (e: CmiException.Api) {
                eq(e.code, "1000013", "code")
                eq(e.operation, "querySubscribedBundles", "operation")
                eq(e.category, ErrorCategory.VALIDATION, "category")
                eq(e.retryable, false, "retryable")
                check(e.description.isNotEmpty()) { "description" }
            }
        }
    },
    "bad input is CmiException.Validation naming the field, before any call" to {
        runBlocking {
            val t = JdkTransport()
            try {
                client(t).esimActivation("12ab")
                throw Check("no error")
            } catch (e: CmiException.Validation) {
                eq(e.field, "iccid", "field")
                eq(e.category, ErrorCategory.VALIDATION, "category")
            }
            eq(t.calls.get(), 0, "HTTP calls")
        }
    },
    "plain http to a remote host is CmiException.Config" to {
        try {
            CmiClient("http://example.com", "k", "s")
            throw Check("no error")
        } catch (e: CmiException.Config) {
            check(e.description.contains("http")) { e.description }
        }
    },
    "a wrong secret is CmiException.Auth and the secret is in no message" to {
        runBlocking {
            val secret = "wrong-secret-zz9Plural"
            try {
                CmiClient(env("CMI_BASE_URL"), env("CMI_APP_KEY"), secret).cardSummary(ICCID_ACTIVE)
                throw Check("no error")
            } catch (e: CmiException.Auth) {
                eq(e.category, ErrorCategory.AUTH, "category")
                check(!e.toString().contains(secret) && !e.description.contains(secret)) { "secret leaked" }
            }
        }
    },
    "a 503 answer is CmiException.HttpStatus, retryable" to {
        runBlocking {
            admin("POST", "/_sandbox/faults", """{"operation":"query_esim_card_info","kind":"http_status","status":503}""")
            try {
                client(options = ClientOptions(maxRetries = 0u)).callJson("queryEsimCardInfo", """{"iccid":"$ICCID_ESIM"}""")
                throw Check("no error")
            } catch (e: CmiException.HttpStatus) {
                eq(e.code, "503", "status")
                eq(e.retryable, true, "retryable")
                eq(e.category, ErrorCategory.TRANSIENT, "category")
            } finally {
                admin("DELETE", "/_sandbox/faults")
            }
        }
    },
)

val transportTests: List<Pair<String, () -> Unit>> = listOf(
    "a Kotlin HttpTransport carries every call, and a request prints no secret" to {
        runBlocking {
            val t = JdkTransport()
            val c = client(t)
            val summary = c.cardSummary(ICCID_ACTIVE)
            check(summary.activeBundles.isNotEmpty()) { "$summary" }
            // token + 3.2.6 + 3.2.8
            eq(t.calls.get(), 3, "calls through the Kotlin transport")
            eq(t.seenWsse.get(), 3, "X-WSSE on every request")
            check(t.lastRequestText.contains("***") && !t.lastRequestText.contains("PasswordDigest")) { t.lastRequestText }
        }
    },
    "a TransportException from Kotlin is CmiException.Transport" to {
        runBlocking {
            val failing = object : HttpTransport {
                override suspend fun send(request: HttpRequest): HttpResponse =
                    throw TransportException.Connect("refused by the test")
            }
            try {
                client(failing, ClientOptions(maxRetries = 0u)).cardSummary(ICCID_ACTIVE)
                throw Check("no error")
            } catch (e: CmiException.Transport) {
                check(e.description.contains("refused by the test")) { e.description }
                eq(e.retryable, true, "retryable")
            }
        }
    },
    "any other exception from Kotlin reads as a transport failure" to {
        runBlocking {
            val broken = object : HttpTransport {
                override suspend fun send(request: HttpRequest): HttpResponse = throw IllegalStateException("boom")
            }
            try {
                client(broken, ClientOptions(maxRetries = 0u)).cardSummary(ICCID_ACTIVE)
                throw Check("no error")
            } catch (e: CmiException.Transport) {
            }
        }
    },
    "the attempt deadline holds even if the Kotlin transport never answers" to {
        runBlocking {
            val stuck = object : HttpTransport {
                override suspend fun send(request: HttpRequest): HttpResponse {
                    awaitCancellation()
                }
            }
            val options = ClientOptions(attemptTimeoutMs = 300uL, totalTimeoutMs = 600uL, maxRetries = 0u)
            val started = System.nanoTime()
            try {
                client(stuck, options).cardSummary(ICCID_ACTIVE)
                throw Check("no error")
            } catch (e: CmiException) {
                check(e is CmiException.Timeout || e is CmiException.Transport) { "$e" }
            }
            val ms = (System.nanoTime() - started) / 1_000_000
            check(ms < 3000) { "took $ms ms" }
        }
    },
)

val cancellationTests: List<Pair<String, () -> Unit>> = listOf(
    "cancelling the coroutine drops the Rust future, which cancels the Kotlin transport call" to {
        runBlocking {
            val entered = CompletableDeferred<Unit>()
            val cancelled = CompletableDeferred<Unit>()
            val hanging = object : HttpTransport {
                override suspend fun send(request: HttpRequest): HttpResponse {
                    entered.complete(Unit)
                    try {
                        awaitCancellation()
                    } finally {
                        cancelled.complete(Unit)
                    }
                }
            }
            val c = client(hanging)
            val job = launch(Dispatchers.Default) { c.cardSummary(ICCID_ACTIVE) }
            withTimeout(5000) { entered.await() }
            job.cancelAndJoin()
            check(job.isCancelled) { "job not cancelled" }
            withTimeout(5000) { cancelled.await() }
        }
    },
    "cancelling a call on the built-in transport returns at once" to {
        runBlocking {
            admin("POST", "/_sandbox/faults", """{"operation":"query_subscribed_bundles","kind":"delay","ms":5000}""")
            try {
                val c = client()
                val job = launch(Dispatchers.Default) { c.cardSummary(ICCID_ACTIVE) }
                delay(300)
                val started = System.nanoTime()
                job.cancelAndJoin()
                val ms = (System.nanoTime() - started) / 1_000_000
                check(ms < 1000) { "cancel took $ms ms" }
            } finally {
                admin("DELETE", "/_sandbox/faults")
            }
        }
    },
)

val esimTests: List<Pair<String, () -> Unit>> = listOf(
    "lpaString builds the activation string and refuses a bad part" to {
        eq(lpaString("smdp.example.com", "ABC-123"), "LPA:1\$smdp.example.com\$ABC-123", "lpa")
        try {
            lpaString("smdp.example.com", "has space")
            throw Check("no error")
        } catch (e: CmiException.Validation) {
            eq(e.field, "activationCode", "field")
        }
    },
    "validateIccid and validateEid" to {
        validateIccid(ICCID_ESIM)
        validateEid("89049032000001000000012345678901")
        try {
            validateIccid("123")
            throw Check("no error")
        } catch (e: CmiException.Validation) {
            eq(e.field, "iccid", "field")
        }
        try {
            validateEid("8904")
            throw Check("no error")
        } catch (e: CmiException.Validation) {
            eq(e.field, "eid", "field")
        }
    },
    "esimActivation gives the LPA string and QR payload of a stock card" to {
        runBlocking {
            val a = client().esimActivation(ICCID_STOCK)
            check(a.lpa.startsWith("LPA:1$")) { a.lpa }
            eq(a.qrPayload, a.lpa, "qr payload")
            check(a.lpa.contains(a.smdpAddress) && a.lpa.contains(a.activationCode)) { "$a" }
            eq(a.onDevice, false, "on device")
        }
    },
    "cardSummary: the active bundle and remaining data of a card" to {
        runBlocking {
            val s = client().cardSummary(ICCID_ACTIVE)
            eq(s.iccid, ICCID_ACTIVE, "iccid")
            eq(s.activeBundles.size, 1, "active bundles")
            val b = s.activeBundles[0]
            check(b.expireTime != null && b.subscriptionKey != null) { "$b" }
            val remaining = s.remainingMb ?: throw Check("no remaining data: $s")
            val total = s.totalMb ?: throw Check("no total: $s")
            check(remaining > 0 && remaining <= total) { "$s" }
            val none = client().cardSummary(ICCID_ESIM)
            check(none.activeBundles.isEmpty() && none.remainingMb == null) { "$none" }
        }
    },
)
