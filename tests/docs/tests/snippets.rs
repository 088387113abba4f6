//! Every snippet a guide quotes (`<!-- snippet: PATH#NAME -->` + a fenced block) must equal
//! the region NAME of the file PATH, which the tests compile and run. `CMI_DOCS_BLESS=1`
//! rewrites the guides' blocks from the sources instead of failing.

use cmi_docs_check::{markdown_under, quotes, region, root};

#[test]
fn every_quoted_snippet_equals_its_source_region() {
    let root = root();
    let bless = std::env::var_os("CMI_DOCS_BLESS").is_some();
    let mut files = markdown_under(&root.join("docs"));
    files.push(root.join("README.md"));
    let mut problems = Vec::new();
    let mut count = 0;
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read guide");
        let shown = file.strip_prefix(&root).unwrap_or(&file).display().to_string();
        let found = match quotes(&text) {
            Ok(q) => q,
            Err(e) => {
                problems.push(format!("{shown}: {e}"));
                continue;
            }
        };
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        // From the last quote up, so that rewriting one keeps the line numbers of the others.
        for q in found.iter().rev() {
            count += 1;
            let Ok(source) = std::fs::read_to_string(root.join(&q.path)) else {
                problems.push(format!("{shown}:{}: {} does not exist", q.first, q.path));
                continue;
            };
            let Some(want) = region(&source, &q.name) else {
                problems.push(format!("{shown}:{}: {} has no region `{}`", q.first, q.path, q.name));
                continue;
            };
            if want != q.lines {
                if bless {
                    lines.splice(q.first..q.end, want);
                } else {
                    problems.push(format!("{shown}:{}: differs from {}#{}", q.first + 1, q.path, q.name));
                }
            }
        }
        if bless {
            std::fs::write(&file, lines.join("\n") + "\n").expect("rewrite guide");
        }
    }
    assert!(count >= 8, "the guides quote at least the Rust quick start's snippets ({count} found)");
    assert!(
        problems.is_empty(),
        "{}\n(run `CMI_DOCS_BLESS=1 cargo test -p cmi-docs-check` to copy the sources into the guides)",
        problems.join("\n")
    );
}

#[test]
fn markers_and_regions_are_read_as_documented() {
    let md = "x\n<!-- snippet: a/b.rs#one -->\n```rust\nlet a = 1;\n```\n";
    let q = quotes(md).unwrap();
    assert_eq!(
        (q[0].path.as_str(), q[0].name.as_str(), q[0].lines.clone()),
        ("a/b.rs", "one", vec!["let a = 1;".into()])
    );
    assert!(quotes("<!-- snippet: a#b -->\ntext\n").is_err(), "a marker needs a block");
    let src = "fn f() {\n    // snippet-start: one\n    let a = 1;\n\n        b();\n    // snippet-end: one\n}\n# snippet-start: py\nx = 1\n# snippet-end: py\n";
    assert_eq!(region(src, "one").unwrap(), vec!["let a = 1;", "", "    b();"]);
    assert_eq!(region(src, "py").unwrap(), vec!["x = 1"]);
    assert!(region(src, "on").is_none(), "names match exactly");
}
