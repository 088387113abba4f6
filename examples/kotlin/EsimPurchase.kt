// What an Android view model calls around one eSIM purchase, on the generated `cmi.datacard`
// bindings: buy once per checkout (a repeated checkout makes no second order), wait for the
// profile to reach the phone and the bundle to start, and show the data left.
//
// `main [checkoutId]` runs the flow against `cmi sandbox` (CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET, as
// `cmi sandbox` prints them) and prints a short report. bindings-mobile/tests/run-kotlin
// compiles this file with the tests and runs `main` as one of them; docs/quickstart-kotlin.md
// quotes it.
package cmi.datacard.examples

import cmi.datacard.*
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest as JHttpRequest
import java.net.http.HttpResponse as JHttpResponse
import kotlinx.coroutines.delay
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout

/** What a purchase came to; each case tells the screen what to show. */
sealed class Purchase {
    /** Ordered now. */
    data class Created(val orderId: String, val transactionCode: String) : Purchase()

    /** This checkout was bought before: the platform refused its code as used, nothing charged twice. */
    data class AlreadyBought(val transactionCode: String) : Purchase()

    /** Refused, nothing charged: show the reason. */
    data class Refused(val reason: String) : Purchase()

    /** No answer (network, timeout, busy): buying again with the same checkout id is safe. */
    data class Unknown(val reason: String) : Purchase()
}

/** The calls behind a purchase screen. A view model runs them in `viewModelScope`, so leaving
 *  the screen cancels the coroutine, and with it the Rust call and its HTTP request. */
class EsimPurchase(private val client: CmiClient) {
    // snippet-start: buy
    suspend fun buy(checkoutId: String, iccid: String, bundleId: String): Purchase {
        // The core derives the code from the checkout id: the same checkout always sends the
        // same code, and the platform refuses a code it has seen (1000162).
        val code = transactionCodeFor(checkoutId)
        val order = CreateOrderRequest(
            thirdOrderId = checkoutId, purchaseKind = PurchaseKind.Bundle, dataBundleId = bundleId,
            quantity = 1L, iccid = iccid, transactionCode = code,
        )
        return try {
            Purchase.Created(client.createOrder(order).orderId, code)
        } catch (e: CmiException.Api) {
            when {
                e.code == "1000162" -> Purchase.AlreadyBought(code)
                e.retryable -> Purchase.Unknown(e.description) // e.g. 1000154: still being processed
                else -> Purchase.Refused(e.description)
            }
        } catch (e: CmiException.Validation) {
            Purchase.Refused("${e.field}: ${e.description}")
        } catch (e: CmiException.Transport) {
            Purchase.Unknown(e.description)
        } catch (e: CmiException.Timeout) {
            Purchase.Unknown(e.description)
        } catch (e: CmiException.HttpStatus) {
            Purchase.Unknown(e.description)
        } catch (e: CmiException) {
            Purchase.Refused(e.message ?: "failed")
        }
    }
    // snippet-end: buy

    // snippet-start: poll
    /** The QR code to show until the customer has installed the profile (3.2.13). */
    suspend fun waitForProfile(iccid: String, pollMs: Long = 500, timeoutMs: Long = 30_000): EsimActivation =
        withTimeout(timeoutMs) { // a timeout cancels the coroutine and the call in flight
            var activation = client.esimActivation(iccid)
            while (!activation.onDevice) {
                delay(pollMs)
                activation = client.esimActivation(iccid)
            }
            activation
        }

    /** The card once a bundle is in use: it starts when the phone attaches in a covered country. */
    suspend fun waitForBundle(iccid: String, pollMs: Long = 500, timeoutMs: Long = 30_000): CardSummary =
        withTimeout(timeoutMs) {
            var summary = client.cardSummary(iccid)
            while (summary.activeBundles.isEmpty()) {
                delay(pollMs)
                summary = client.cardSummary(iccid)
            }
            summary
        }
    // snippet-end: poll

    // snippet-start: remaining
    /** The line under the data gauge. */
    suspend fun remainingData(iccid: String): String {
        val summary = client.cardSummary(iccid) // 3.2.6, and 3.2.8 when a bundle is in use
        val bundle = summary.activeBundles.firstOrNull() ?: return "No data plan in use"
        val left = summary.remainingMb ?: bundle.remainingMb ?: return "${bundle.name}: active"
        val total = summary.totalMb?.let { " of %.0f MB".format(it) } ?: ""
        return "${bundle.name}: %.0f MB left$total, until ${bundle.expireTime}".format(left)
    }
    // snippet-end: remaining
}

/** In the sandbox nobody holds a phone: this does what the customer's phone would, through
 *  the simulator's admin API (sandbox/README.md). Not part of an app. */
class SandboxPhone(private val baseUrl: String) {
    private val http = HttpClient.newHttpClient()

    private fun post(path: String, body: String) {
        val request = JHttpRequest.newBuilder(URI.create("$baseUrl/_sandbox/$path"))
            .POST(JHttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build()
        val status = http.send(request, JHttpResponse.BodyHandlers.ofString()).statusCode()
        check(status == 200) { "sandbox admin $path: HTTP $status" }
    }

    /** Scans the QR code and installs the profile. */
    fun install(iccid: String) = post("esim/$iccid/install", "{}")

    /** Attaches to a network in `mcc`, which starts a bundle that covers it. */
    fun attach(iccid: String, mcc: String) = post("cards/$iccid/location", """{"mcc":"$mcc"}""")
}

/** The whole flow against the sandbox: the same checkout twice, then the eSIM and its data.
 *  Argument: the checkout id (default: a new one per run). */
fun main(args: Array<String>) = runBlocking {
    val iccid = System.getenv("CMI_ICCID") ?: "89852342024000000088" // a fresh sandbox eSIM
    val bundleId = System.getenv("CMI_BUNDLE") ?: "D2401011200000000002" // HK & Macau 5 GB
    val checkoutId = args.firstOrNull() ?: "checkout-${System.currentTimeMillis()}"
    // snippet-start: client
    val client = CmiClient.fromEnv() // CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET
    // On a device, pass the settings (and your OkHttp transport) explicitly:
    // CmiClient(baseUrl, appKey, appSecret, ClientOptions(totalTimeoutMs = 20_000uL), OkHttpTransport(okHttp))
    // snippet-end: client
    val screen = EsimPurchase(client)

    println("first checkout:  ${screen.buy(checkoutId, iccid, bundleId)}")
    // The customer taps "Buy" again, or the app retries after losing the answer.
    println("second checkout: ${screen.buy(checkoutId, iccid, bundleId)}")

    val phone = SandboxPhone(System.getenv("CMI_BASE_URL"))
    launch {
        delay(700)
        phone.install(iccid)
        phone.attach(iccid, "454")
    }
    val profile = screen.waitForProfile(iccid)
    println("profile:         ${profile.state}, on device ${profile.onDevice}, QR ${profile.qrPayload}")
    val summary = screen.waitForBundle(iccid)
    println("bundle:          ${summary.activeBundles.map { it.dataBundleId }}")
    println("remaining:       ${screen.remainingData(iccid)}")
}
