// The Kotlin tests of the mobile bindings: the generated `cmi.datacard` package against
// `cmi sandbox` over loopback HTTP (CMI_BASE_URL, CMI_APP_KEY, CMI_APP_SECRET from
// tests/run-kotlin). A tiny runner instead of JUnit keeps the build to one kotlinc call.
package cmi.datacard.tests

import kotlin.system.exitProcess

class Check(message: String) : AssertionError(message)

fun check(condition: Boolean, message: () -> String) {
    if (!condition) throw Check(message())
}

fun <T> eq(actual: T, expected: T, what: String) = check(actual == expected) { "$what: expected $expected, got $actual" }

val env: (String) -> String = { System.getenv(it) ?: error("$it is not set") }

fun main() {
    val tests: List<Pair<String, () -> Unit>> = listOf(everyOperation, typedErrors) + operationTests + errorTests + transportTests + cancellationTests + esimTests
    var passed = 0
    var failed = 0
    for ((name, body) in tests) {
        try {
            body()
            passed++
            println("  ok    $name")
        } catch (t: Throwable) {
            failed++
            println("  FAIL  $name: $t")
        }
    }
    println("kotlin: $passed passed, $failed failed")
    exitProcess(if (failed == 0) 0 else 1)
}
