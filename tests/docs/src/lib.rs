//! Helpers of the documentation checks in `tests/`: the repository's Markdown files and the
//! snippet markers of `docs/README.md` ("Snippets that cannot rot").

use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("repository root")
}

/// Every `.md` file under `dir`, recursively, sorted.
pub fn markdown_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                // Installed dependencies (examples/node/node_modules, gitignored) are not ours.
                if !p.ends_with("node_modules") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "md") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// One quoted snippet in a Markdown file: `<!-- snippet: PATH#NAME -->` and the fenced block
/// right after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quote {
    /// Source file, relative to the repository root.
    pub path: String,
    /// Region name in that file.
    pub name: String,
    /// Line index (0-based) of the block's first content line.
    pub first: usize,
    /// Line index of the closing fence.
    pub end: usize,
    /// The block's content, one string per line.
    pub lines: Vec<String>,
}

/// The quotes of a Markdown text. An error names a marker without a fenced block after it.
pub fn quotes(markdown: &str) -> Result<Vec<Quote>, String> {
    let lines: Vec<&str> = markdown.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some(target) = lines[i].trim().strip_prefix("<!-- snippet:").and_then(|r| r.strip_suffix("-->")) else {
            i += 1;
            continue;
        };
        let (path, name) = target.trim().split_once('#').ok_or(format!("line {}: marker needs PATH#NAME", i + 1))?;
        let open = i + 1;
        if !lines.get(open).is_some_and(|l| l.starts_with("```")) {
            return Err(format!("line {}: a snippet marker must be followed by a fenced block", i + 1));
        }
        let close = (open + 1..lines.len())
            .find(|&j| lines[j].trim_end() == "```")
            .ok_or(format!("line {}: unclosed block", open + 1))?;
        out.push(Quote {
            path: path.trim().to_owned(),
            name: name.trim().to_owned(),
            first: open + 1,
            end: close,
            lines: lines[open + 1..close].iter().map(|l| (*l).to_owned()).collect(),
        });
        i = close + 1;
    }
    Ok(out)
}

/// The region `name` of a source text: the lines strictly between the line containing
/// `snippet-start: NAME` and the one containing `snippet-end: NAME`, in any comment syntax,
/// with their common indentation removed.
pub fn region(source: &str, name: &str) -> Option<Vec<String>> {
    let names = |line: &str, tag: &str| {
        line.split_once(tag).is_some_and(|(_, rest)| {
            rest.trim().trim_end_matches("-->").trim_end_matches("*/").trim().trim_end_matches(':') == name
        })
    };
    let lines: Vec<&str> = source.lines().collect();
    let start = lines.iter().position(|l| names(l, "snippet-start:"))?;
    let end = start + 1 + lines[start + 1..].iter().position(|l| names(l, "snippet-end:"))?;
    let body = &lines[start + 1..end];
    let indent =
        body.iter().filter(|l| !l.trim().is_empty()).map(|l| l.len() - l.trim_start().len()).min().unwrap_or(0);
    Some(
        body.iter()
            .map(|l| if l.trim().is_empty() { String::new() } else { l[indent..].trim_end().to_owned() })
            .collect(),
    )
}

/// The targets of the inline links `[text](target)` of a Markdown text, without anchors.
pub fn links(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = markdown;
    while let Some(i) = rest.find("](") {
        rest = &rest[i + 2..];
        if let Some(end) = rest.find(')') {
            let target = rest[..end].split('#').next().unwrap_or_default().trim();
            if !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:") {
                out.push(target.to_owned());
            }
        }
    }
    out
}
