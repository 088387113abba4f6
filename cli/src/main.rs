//! `cmi`: every operation of the CMI Global Data Card Platform API from the shell, the
//! simulator (`cmi sandbox`), bulk runs (`cmi bulk`) and a narrated sale (`cmi demo`).

mod bulk;
mod codes;
mod demo;
mod exit;
mod output;
mod receiver;
mod sandbox;
mod settings;

use clap::{Arg, ArgAction, ArgMatches, Command};
use cmi_core::client::operations::OPERATIONS;
use std::process::ExitCode;

fn kebab(name: &str) -> String {
    name.replace('_', "-")
}

fn cli() -> Command {
    let mut cmd = Command::new("cmi")
        .version(cmi_core::VERSION)
        .about("Call the CMI / CMLink Global Data Card Platform API V4.2, run its simulator, or watch a demo sale.")
        .after_long_help(exit::HELP)
        .subcommand_required(true)
        .args(settings::global_args());
    for op in OPERATIONS {
        cmd = cmd.subcommand(
            Command::new(kebab(op.name))
                .about(op.summary)
                .long_about(format!(
                    "{}\n\nPOST /aep/{} (spec {}). The body uses the wire field names of the spec.",
                    op.summary, op.path, op.section
                ))
                .arg(
                    Arg::new("body")
                        .long("body")
                        .value_name("JSON|@FILE")
                        .default_value("{}")
                        .help("Request body in wire field names, or @file.json"),
                ),
        );
    }
    cmd.subcommand(sandbox::command())
        .subcommand(demo::command())
        .subcommand(bulk::command())
        .subcommand(codes::command())
        .subcommand(
            Command::new("operations")
                .about("List every operation with its wire path")
                .arg(Arg::new("json").long("json").action(ArgAction::SetTrue).help("As JSON")),
        )
        .subcommand(Command::new("schema").about(
            "Print the schema of every operation, model and enum as JSON (what the bindings generate their types from)",
        ))
}

fn main() -> ExitCode {
    let matches = cli().get_matches();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("cmi: cannot start the async runtime: {e}");
            return ExitCode::from(exit::INTERNAL);
        }
    };
    runtime.block_on(run(matches))
}

async fn run(matches: ArgMatches) -> ExitCode {
    let table = matches.get_flag("table");
    match matches.subcommand() {
        Some(("sandbox", m)) => sandbox::run(m).await,
        Some(("demo", m)) => demo::run(m).await,
        Some(("bulk", m)) => bulk::run(&matches, m).await,
        Some(("codes", m)) => codes::run(m),
        Some(("operations", m)) => list_operations(m.get_flag("json")),
        Some(("schema", _)) => {
            println!("{}", serde_json::to_string_pretty(&cmi_core::reflect::schema()).unwrap_or_default());
            ExitCode::SUCCESS
        }
        Some((name, m)) => {
            let client = match settings::client(&matches) {
                Ok(c) => c,
                Err(e) => return exit::report(&e),
            };
            let body = match settings::read_body(m.get_one::<String>("body").map(String::as_str).unwrap_or("{}")) {
                Ok(b) => b,
                Err(e) => return exit::report(&e),
            };
            match client.call_json(name, body).await {
                Ok(answer) => {
                    if table {
                        print!("{}", output::table(&answer));
                    } else {
                        println!("{}", serde_json::to_string_pretty(&answer).unwrap_or_default());
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => exit::report(&e),
            }
        }
        None => ExitCode::from(exit::USAGE),
    }
}

fn list_operations(json: bool) -> ExitCode {
    if json {
        let list: Vec<serde_json::Value> = OPERATIONS
            .iter()
            .map(|o| serde_json::json!({"name": o.name, "command": kebab(o.name), "path": o.path, "section": o.section, "summary": o.summary}))
            .collect();
        println!("{}", serde_json::Value::Array(list));
    } else {
        for o in OPERATIONS {
            println!("{:<28} {:<7} /aep/{}", kebab(o.name), o.section, o.path);
        }
    }
    ExitCode::SUCCESS
}
