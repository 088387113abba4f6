"""No Swift compiler here: check that every generated name a Swift example uses is declared
in the generated CmiDatacard.swift. A name counts as used when the example writes it after a
dot (`.orderId`, `.bundle`; unless the example declares a function, case, type or `self.`
property of that name), calls it (`transactionCodeFor(`), writes it capitalised (a type)
or as an argument label (`idempotencyKey:`); the example's own declarations and the Swift and
Foundation names below are skipped. Labels' order is checked by check-swift-names' signatures.

Usage: check_swift_example.py GENERATED.swift EXAMPLE.swift...
"""
import os
import re
import sys

# Swift, Foundation and keywords the examples use; anything else must be generated or their own.
PLATFORM = set("""
    print Task URL URLRequest URLSession URLError HTTPURLResponse Date Data String Double Int
    UInt16 UInt64 Error ProcessInfo CommandLine Foundation CmiDatacard main sleep nanoseconds
    checkCancellation addingTimeInterval processInfo environment arguments count map first
    isEmpty value key data code timedOut shared httpMethod httpBody timeoutInterval setValue
    forHTTPHeaderField allHeaderFields statusCode utf8 timeIntervalSince1970 format for string
    self init if guard while return throw try await catch let var func as where in else
    Self async throws do switch case
""".split())


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def own_names(code):
    """What the example declares itself: (members a dot may reach: its functions, enum cases,
    types and `self.` properties; every name it declares, parameters and pattern bindings too)."""
    members = set(re.findall(r"\b(?:func|case|enum|struct|class|protocol)\s+([A-Za-z_]\w*)", code))
    members |= set(re.findall(r"\bself\.([A-Za-z_]\w*)", code))
    names = members | set(re.findall(r"\b(?:let|var)\s+([A-Za-z_]\w*)\b(?!\.)", code))
    for params in re.findall(r"\b(?:func\s+\w+|init|case\s+\w+)\s*\(([^)]*)\)", code):
        names.update(re.findall(r"([A-Za-z_]\w*)\s*:", params))
    # Names bound in patterns: `let CmiError.Api(_, platformCode, ...)`.
    for binds in re.findall(r"let\s+\w+\.\w+\(([^)]*)\)", code):
        names.update(re.findall(r"[A-Za-z_]\w*", binds))
    return members, names


def code_only(text):
    """The text with string literals blanked but their interpolations `\\(...)` kept (they
    are code, and may hold strings themselves)."""
    out, i, n = [], 0, len(text)
    while i < n:
        if text[i] != '"':
            out.append(text[i])
            i += 1
            continue
        i += 1  # inside a literal: keep only interpolations
        while i < n and text[i] != '"':
            if text.startswith("\\(", i):
                depth, j = 1, i + 2
                while j < n and depth:
                    if text[j] == '"':  # a literal inside the interpolation: skip it
                        j = text.index('"', j + 1)
                    depth += {"(": 1, ")": -1}.get(text[j], 0)
                    j += 1
                out.append(" " + code_only(text[i + 2 : j - 1]) + " ")
                i = j
            else:
                i += 2 if text[i] == "\\" else 1
        out.append(" ")
        i += 1
    return "".join(out)


def used_names(code):
    """(names written after a dot, every other name written as a call, type or label)."""
    code = code_only(code)
    dotted = set(re.findall(r"\.([A-Za-z_]\w*)", code))
    other = set(re.findall(r"(?<!\.)\b([A-Za-z_]\w*)\s*\(", code))
    other |= set(re.findall(r"\b([A-Z]\w*)\b", code))
    other |= set(re.findall(r"[(,]\s*([A-Za-z_]\w*)\s*:(?!:)", code))
    return dotted, other


def declared(generated, name):
    decl = rf"\b(?:func|var|let|case|struct|class|enum|protocol|typealias)\s+`?{name}`?\b"
    label = rf"[(,]\s*`?{name}`?\s*:"
    return re.search(decl, generated) or re.search(label, generated)


def main():
    generated = strip_comments(open(sys.argv[1], encoding="utf-8").read())
    fail = 0
    for path in sys.argv[2:]:
        code = strip_comments(open(path, encoding="utf-8").read())
        members, mine = own_names(code)
        dotted, other = used_names(code)
        checked = sorted(((dotted - members) | (other - mine)) - PLATFORM)
        missing = [n for n in checked if not declared(generated, n)]
        if os.environ.get("VERBOSE"):
            print(f"  {path}: {' '.join(checked)}")
        for n in missing:
            print(f"  missing in the generated Swift: {n} (used by {path})")
        fail |= bool(missing)
        if not missing:
            print(f"swift: {path}: {len(checked)} generated names, all declared")
    sys.exit(1 if fail else 0)


main()
