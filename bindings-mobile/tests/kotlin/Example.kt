package cmi.datacard.tests

import java.io.ByteArrayOutputStream
import java.io.PrintStream

/** examples/kotlin/EsimPurchase.kt: its `main` runs against the sandbox, and the same checkout
 *  twice leaves one order in the sandbox, charged once. */
val exampleTests: List<Pair<String, () -> Unit>> = listOf(
    "examples/kotlin/EsimPurchase.kt: main buys once for two checkouts, installs, shows data left" to {
        admin("POST", "/_sandbox/reset")
        val checkout = "kt-example-checkout-1"
        val captured = ByteArrayOutputStream()
        val stdout = System.out
        System.setOut(PrintStream(captured, true))
        try {
            cmi.datacard.examples.main(arrayOf(checkout))
        } finally {
            System.setOut(stdout)
        }
        val out = captured.toString()
        print(out.lines().filter { it.isNotBlank() }.joinToString("") { "        $it\n" })
        check(Regex("first checkout: +Created\\(orderId=\\S+").containsMatchIn(out)) { out }
        check(Regex("second checkout: +AlreadyBought\\(").containsMatchIn(out)) { out }
        check(Regex("profile: +enabled, on device true, QR LPA:1\\$").containsMatchIn(out)) { out }
        check(out.contains("bundle:          [D2401011200000000002]")) { out }
        check(Regex("remaining: +.*\\d+ MB left of \\d+ MB").containsMatchIn(out)) { out }
        // The sandbox's own record: one order for the checkout, the deposit charged once.
        val state = admin("GET", "/_sandbox/state")
        eq(Regex("\"third_order_id\":\"$checkout\"").findAll(state).count(), 1, "orders for the checkout")
        val calls = Regex("\"create_order\":(\\d+)").find(admin("GET", "/_sandbox/stats"))?.groupValues?.get(1)
        eq(calls, "2", "create_order calls reaching the sandbox")
        admin("POST", "/_sandbox/reset")
    },
)

