//! The guides' index links every guide and example, the root README links the index and
//! every guide, and no relative link in the guides or READMEs points nowhere.

use cmi_docs_check::{links, markdown_under, root};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The link targets of a Markdown file, resolved against its directory and normalised.
fn resolved(file: &Path) -> BTreeSet<PathBuf> {
    let text = std::fs::read_to_string(file).expect("read markdown");
    let dir = file.parent().expect("dir");
    links(&text).iter().filter_map(|t| dir.join(t).canonicalize().ok()).collect()
}

/// Example directories: `examples/<language>/<name>`, without a package manager's installed
/// dependencies (`examples/node/node_modules`, gitignored).
fn examples(root: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for lang in std::fs::read_dir(root.join("examples")).expect("examples/").flatten() {
        if lang.path().is_dir() {
            out.extend(
                std::fs::read_dir(lang.path())
                    .expect("language dir")
                    .flatten()
                    .map(|e| e.path())
                    .filter(|p| p.is_dir() && !p.ends_with("node_modules")),
            );
        }
    }
    out.sort();
    out
}

#[test]
fn the_index_links_every_guide_and_example() {
    let root = root();
    let index = root.join("docs/README.md");
    let linked = resolved(&index);
    let mut missing = Vec::new();
    for guide in markdown_under(&root.join("docs")).into_iter().filter(|g| *g != index) {
        if !linked.contains(&guide.canonicalize().expect("guide")) {
            missing.push(guide.strip_prefix(&root).unwrap_or(&guide).display().to_string());
        }
    }
    let examples = examples(&root);
    assert!(!examples.is_empty());
    for ex in examples {
        let ex = ex.canonicalize().expect("example");
        if !linked.iter().any(|l| l.starts_with(&ex)) {
            missing.push(ex.strip_prefix(&root).unwrap_or(&ex).display().to_string());
        }
    }
    assert!(missing.is_empty(), "docs/README.md does not link: {missing:?}");
}

#[test]
fn the_root_readme_links_the_index_and_every_guide() {
    let root = root();
    let linked = resolved(&root.join("README.md"));
    let mut want = BTreeSet::new();
    for e in std::fs::read_dir(root.join("docs")).expect("docs/").flatten() {
        if e.path().extension().is_some_and(|x| x == "md") {
            want.insert(e.path());
        }
    }
    let missing: Vec<_> = want
        .iter()
        .filter(|w| !linked.contains(&w.canonicalize().expect("guide")))
        .map(|w| w.strip_prefix(&root).unwrap_or(w).display().to_string())
        .collect();
    assert!(missing.is_empty(), "README.md does not link: {missing:?}");
}

#[test]
fn relative_links_point_somewhere() {
    let root = root();
    let mut files = markdown_under(&root.join("docs"));
    files.extend(["README.md", "ARCHITECTURE.md"].map(|f| root.join(f)));
    files.extend(markdown_under(&root.join("examples")));
    let mut broken = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("read markdown");
        for target in links(&text) {
            if !file.parent().expect("dir").join(&target).exists() {
                broken.push(format!("{}: {target}", file.strip_prefix(&root).unwrap_or(&file).display()));
            }
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:?}");
}
