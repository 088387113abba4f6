package cmi.datacard.tests

import cmi.datacard.*
import java.net.URI
import java.net.http.HttpClient
import java.net.http.HttpRequest as JHttpRequest
import java.net.http.HttpResponse as JHttpResponse
import java.time.Duration
import java.util.concurrent.atomic.AtomicInteger
import kotlinx.coroutines.future.await

// Sandbox cards (sandbox/README.md).
const val ICCID_ESIM = "89852342024000000013"
const val ICCID_ACTIVE = "89852342024000000021"
const val ICCID_STOCK = "89852342024000000070"
const val UNKNOWN_ICCID = "89852342024999999990"

fun client(transport: HttpTransport? = null, options: ClientOptions? = null): CmiClient =
    CmiClient(env("CMI_BASE_URL"), env("CMI_APP_KEY"), env("CMI_APP_SECRET"), options, transport)

/** Admin call to the sandbox (`/_sandbox/...`), plain JDK HTTP. */
fun admin(method: String, path: String, body: String = ""): String {
    val req = JHttpRequest.newBuilder(URI.create(env("CMI_BASE_URL") + path))
        .method(method, JHttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json").build()
    return HttpClient.newHttpClient().send(req, JHttpResponse.BodyHandlers.ofString()).body()
}

/** What an app does with OkHttp, here with the JDK's HttpClient: the SDK's calls go through
 *  the app's own HTTP stack. */
class JdkTransport : HttpTransport {
    private val http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
    val calls = AtomicInteger()
    val seenWsse = AtomicInteger()
    @Volatile var lastRequestText = ""

    override suspend fun send(request: HttpRequest): HttpResponse {
        calls.incrementAndGet()
        lastRequestText = request.toString()
        val builder = JHttpRequest.newBuilder(URI.create(request.url()))
            .timeout(Duration.ofMillis(request.timeoutMs().toLong()))
            .method(request.method(), JHttpRequest.BodyPublishers.ofByteArray(request.body()))
        for (h in request.headers()) {
            if (h.name.equals("X-WSSE", ignoreCase = true)) seenWsse.incrementAndGet()
            // The JDK sets these itself and refuses them.
            if (h.name.lowercase() in setOf("host", "content-length", "connection")) continue
            builder.header(h.name, h.value)
        }
        val response = try {
            http.sendAsync(builder.build(), JHttpResponse.BodyHandlers.ofByteArray()).await()
        } catch (e: java.io.IOException) {
            throw TransportException.Io(e.toString())
        }
        val headers = response.headers().map().flatMap { (k, vs) -> vs.map { HttpHeader(k, it) } }
        return HttpResponse(response.statusCode().toUShort(), headers, response.body())
    }
}
