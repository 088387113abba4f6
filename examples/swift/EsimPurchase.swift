// NOT COMPILED HERE: the build machine has no Swift toolchain. What is checked instead:
// bindings-mobile/tests/check-swift-names verifies that every generated name this file uses
// (types, initialiser labels, methods, properties, enum cases) is declared in the generated
// CmiDatacard.swift, and the same flow in Kotlin (examples/kotlin/EsimPurchase.kt) runs
// against the sandbox in bindings-mobile/tests/run-kotlin.
//
// What an iOS screen calls around one eSIM purchase, on the generated `CmiDatacard` module
// (async/await): buy once per checkout (a repeated checkout makes no second order), wait for
// the profile to reach the phone and the bundle to start, and show the data left. `main`
// runs the flow against `cmi sandbox` (CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET) and prints
// a short report. docs/quickstart-swift.md quotes it.
import CmiDatacard
import Foundation

/// What a purchase came to; each case tells the screen what to show.
enum Purchase {
    /// Ordered now.
    case created(orderId: String, transactionCode: String)
    /// This checkout was bought before: the platform refused its code as used, nothing charged twice.
    case alreadyBought(transactionCode: String)
    /// Refused, nothing charged: show the reason.
    case refused(reason: String)
    /// No answer (network, timeout, busy): buying again with the same checkout id is safe.
    case unknown(reason: String)
}

/// Polling gave up before the phone got there.
struct StillWaiting: Error {}

/// The calls behind a purchase screen.
final class EsimPurchase {
    let client: CmiClient

    init(client: CmiClient) {
        self.client = client
    }

    // snippet-start: buy
    func buy(checkoutId: String, iccid: String, bundleId: String) async -> Purchase {
        // The core derives the code from the checkout id: the same checkout always sends the
        // same code, and the platform refuses a code it has seen (1000162).
        let code = transactionCodeFor(idempotencyKey: checkoutId)
        let order = CreateOrderRequest(
            thirdOrderId: checkoutId, purchaseKind: .bundle, dataBundleId: bundleId,
            quantity: 1, iccid: iccid, transactionCode: code)
        do {
            let answer = try await client.createOrder(request: order)
            return .created(orderId: answer.orderId, transactionCode: code)
        } catch let CmiError.Api(_, platformCode, description, _, retryable, _) {
            if platformCode == "1000162" { return .alreadyBought(transactionCode: code) }
            // e.g. 1000154: still being processed
            return retryable ? .unknown(reason: description) : .refused(reason: description)
        } catch let CmiError.Validation(_, _, description, _, _, field) {
            return .refused(reason: "\(field ?? "request"): \(description)")
        } catch let CmiError.Transport(_, _, description, _, _, _),
            let CmiError.Timeout(_, _, description, _, _, _),
            let CmiError.HttpStatus(_, _, description, _, _, _) {
            return .unknown(reason: description)
        } catch {
            return .refused(reason: "\(error)")
        }
    }
    // snippet-end: buy

    // snippet-start: poll
    /// The QR code to show until the customer has installed the profile (3.2.13).
    func waitForProfile(iccid: String, pollSeconds: Double = 0.5, timeoutSeconds: Double = 30) async throws -> EsimActivation {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var activation = try await client.esimActivation(iccid: iccid)
        while !activation.onDevice {
            // Cancelling the Task does not stop a call in flight (uniffi's Swift async does
            // not propagate it): check between polls, so a closed screen stops polling.
            try Task.checkCancellation()
            guard Date() < deadline else { throw StillWaiting() }
            try await Task.sleep(nanoseconds: UInt64(pollSeconds * 1_000_000_000))
            activation = try await client.esimActivation(iccid: iccid)
        }
        return activation
    }

    /// The card once a bundle is in use: it starts when the phone attaches in a covered country.
    func waitForBundle(iccid: String, pollSeconds: Double = 0.5, timeoutSeconds: Double = 30) async throws -> CardSummary {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var summary = try await client.cardSummary(iccid: iccid)
        while summary.activeBundles.isEmpty {
            try Task.checkCancellation()
            guard Date() < deadline else { throw StillWaiting() }
            try await Task.sleep(nanoseconds: UInt64(pollSeconds * 1_000_000_000))
            summary = try await client.cardSummary(iccid: iccid)
        }
        return summary
    }
    // snippet-end: poll

    // snippet-start: remaining
    /// The line under the data gauge.
    func remainingData(iccid: String) async throws -> String {
        let summary = try await client.cardSummary(iccid: iccid) // 3.2.6, and 3.2.8 when a bundle is in use
        guard let bundle = summary.activeBundles.first else { return "No data plan in use" }
        let name = bundle.name ?? bundle.dataBundleId
        guard let left = summary.remainingMb ?? bundle.remainingMb else { return "\(name): active" }
        let total = summary.totalMb.map { String(format: " of %.0f MB", $0) } ?? ""
        return String(format: "%@: %.0f MB left", name, left) + "\(total), until \(bundle.expireTime ?? "?")"
    }
    // snippet-end: remaining
}

// snippet-start: transport
/// The SDK's calls through your own URLSession (pinning, proxies, metrics in its delegate).
final class URLSessionTransport: HttpTransport {
    let session: URLSession

    init(session: URLSession) {
        self.session = session
    }

    func send(request: HttpRequest) async throws -> HttpResponse {
        guard let url = URL(string: request.url()) else { throw TransportError.Io(reason: "bad URL") }
        var r = URLRequest(url: url)
        r.httpMethod = request.method()
        r.httpBody = request.body()
        r.timeoutInterval = Double(request.timeoutMs()) / 1000
        for h in request.headers() { r.setValue(h.value, forHTTPHeaderField: h.name) }
        do {
            let (data, response) = try await session.data(for: r)
            guard let http = response as? HTTPURLResponse else { throw TransportError.Io(reason: "not HTTP") }
            let headers = http.allHeaderFields.map { HttpHeader(name: "\($0.key)", value: "\($0.value)") }
            // Every status goes back to the SDK: it reads non-2xx answers itself.
            return HttpResponse(status: UInt16(http.statusCode), headers: headers, body: data)
        } catch let e as URLError where e.code == .timedOut {
            throw TransportError.Timeout
        } catch let e as TransportError {
            throw e
        } catch {
            throw TransportError.Io(reason: "\(error)")
        }
    }
}
// snippet-end: transport

/// In the sandbox nobody holds a phone: this does what the customer's phone would, through
/// the simulator's admin API (sandbox/README.md). Not part of an app.
struct SandboxPhone {
    let baseUrl: String

    private func post(_ path: String, _ body: String) async throws {
        var r = URLRequest(url: URL(string: "\(baseUrl)/_sandbox/\(path)")!)
        r.httpMethod = "POST"
        r.httpBody = Data(body.utf8)
        r.setValue("application/json", forHTTPHeaderField: "Content-Type")
        _ = try await URLSession.shared.data(for: r)
    }

    /// Scans the QR code and installs the profile.
    func install(iccid: String) async throws { try await post("esim/\(iccid)/install", "{}") }

    /// Attaches to a network in `mcc`, which starts a bundle that covers it.
    func attach(iccid: String, mcc: String) async throws {
        try await post("cards/\(iccid)/location", "{\"mcc\":\"\(mcc)\"}")
    }
}

/// The whole flow against the sandbox: the same checkout twice, then the eSIM and its data.
/// Argument: the checkout id (default: a new one per run).
@main
struct EsimPurchaseDemo {
    static func main() async throws {
        let env = ProcessInfo.processInfo.environment
        let iccid = env["CMI_ICCID"] ?? "89852342024000000088" // a fresh sandbox eSIM
        let bundleId = env["CMI_BUNDLE"] ?? "D2401011200000000002" // HK & Macau 5 GB
        let args = CommandLine.arguments
        let checkoutId = args.count > 1 ? args[1] : "checkout-\(Int(Date().timeIntervalSince1970))"
        // snippet-start: client
        let client = try CmiClient.fromEnv(transport: URLSessionTransport(session: .shared)) // CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET
        // On a device, pass the settings explicitly:
        // try CmiClient(baseUrl: baseUrl, appKey: appKey, appSecret: appSecret,
        //               options: ClientOptions(totalTimeoutMs: 20_000), transport: URLSessionTransport(session: pinned))
        // snippet-end: client
        let screen = EsimPurchase(client: client)

        let first = await screen.buy(checkoutId: checkoutId, iccid: iccid, bundleId: bundleId)
        print("first checkout:  \(first)")
        // The customer taps "Buy" again, or the app retries after losing the answer.
        let second = await screen.buy(checkoutId: checkoutId, iccid: iccid, bundleId: bundleId)
        print("second checkout: \(second)")

        let phone = SandboxPhone(baseUrl: env["CMI_BASE_URL"] ?? "")
        let standIn = Task {
            try await Task.sleep(nanoseconds: 700_000_000)
            try await phone.install(iccid: iccid)
            try await phone.attach(iccid: iccid, mcc: "454")
        }
        let profile = try await screen.waitForProfile(iccid: iccid)
        print("profile:         \(profile.state ?? "?"), on device \(profile.onDevice), QR \(profile.qrPayload)")
        try await standIn.value
        let summary = try await screen.waitForBundle(iccid: iccid)
        print("bundle:          \(summary.activeBundles.map { $0.dataBundleId })")
        let remaining = try await screen.remainingData(iccid: iccid)
        print("remaining:       \(remaining)")
    }
}
