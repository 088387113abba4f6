//! `cmi codes [--markdown]`: the platform's return-code table as the core holds it. The
//! Markdown form is the table in docs/errors.md; a test fails when the two differ.

use clap::{Arg, ArgAction, ArgMatches, Command};
use cmi_core::codes;
use std::process::ExitCode;

pub fn command() -> Command {
    Command::new("codes").about("List every return code with its meaning, category and whether a retry can help").arg(
        Arg::new("markdown")
            .long("markdown")
            .action(ArgAction::SetTrue)
            .help("As the Markdown table of docs/errors.md"),
    )
}

pub fn run(m: &ArgMatches) -> ExitCode {
    if m.get_flag("markdown") {
        print!("{}", markdown());
    } else {
        for c in codes::all() {
            let retry = if c.retryable() { "retryable" } else { "final" };
            println!("{}  {:<13} {:<9}  {}", c.code, c.category.as_str(), retry, c.meaning);
        }
    }
    ExitCode::SUCCESS
}

/// The table in Markdown, one row per code, in code order.
pub fn markdown() -> String {
    let mut out = String::from("| Code | Meaning | Category | Retry helps |\n| --- | --- | --- | --- |\n");
    for c in codes::all() {
        let meaning = c.meaning.replace('|', "\\|");
        let retry = if c.retryable() { "yes" } else { "no" };
        out.push_str(&format!("| `{}` | {meaning} | {} | {retry} |\n", c.code, c.category.as_str()));
    }
    out
}
