//! `cmi demo`: a whole sale against an embedded sandbox, narrated.
use clap::{ArgMatches, Command};
use std::process::ExitCode;

pub fn command() -> Command {
    Command::new("demo").about("Walk a whole sale against an embedded sandbox (pending)")
}

pub async fn run(_m: &ArgMatches) -> ExitCode {
    ExitCode::from(crate::exit::INTERNAL)
}
