//! `cmi sandbox`: serves the simulator until stopped.
use clap::{ArgMatches, Command};
use std::process::ExitCode;

pub fn command() -> Command {
    Command::new("sandbox").about("Serve the CMI platform simulator on loopback (pending)")
}

pub async fn run(_m: &ArgMatches) -> ExitCode {
    ExitCode::from(crate::exit::INTERNAL)
}
