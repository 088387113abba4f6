//! `cmi sandbox [--port N]`: serves the simulator until stopped. Its first three lines on
//! stdout are `CMI_BASE_URL=…`, `CMI_APP_KEY=…`, `CMI_APP_SECRET=…` (operations.md).

use clap::{Arg, ArgMatches, Command};
use std::process::ExitCode;
use std::time::Duration;

pub fn command() -> Command {
    Command::new("sandbox")
        .about("Serve the CMI platform simulator on loopback until Ctrl-C")
        .long_about(
            "Serve the CMI platform simulator on 127.0.0.1 until Ctrl-C. The first three lines on stdout \
             are CMI_BASE_URL, CMI_APP_KEY and CMI_APP_SECRET (the fixed demo credentials), ready for eval. \
             Admin API under /_sandbox/ (faults, clock, callbacks, state): see sandbox/README.md.",
        )
        .arg(
            Arg::new("port")
                .long("port")
                .default_value("0")
                .value_parser(clap::value_parser!(u16))
                .help("TCP port; 0 picks a free one"),
        )
        .arg(
            Arg::new("token_ttl")
                .long("token-ttl-secs")
                .default_value("600")
                .value_parser(clap::value_parser!(u64).range(1..))
                .help("Lifetime of issued access tokens"),
        )
        .arg(
            Arg::new("revoke_on_reissue")
                .long("revoke-on-reissue")
                .action(clap::ArgAction::SetTrue)
                .help("A newly issued token revokes the credential's older ones (fleet tests)"),
        )
        .arg(
            Arg::new("qps_limit")
                .long("qps-limit")
                .default_value("0")
                .value_parser(clap::value_parser!(u32))
                .help("Refuse with 9000004 beyond this many calls per second per credential; 0 = no limit"),
        )
}

pub async fn run(m: &ArgMatches) -> ExitCode {
    let port = *m.get_one::<u16>("port").unwrap_or(&0);
    let ttl = *m.get_one::<u64>("token_ttl").unwrap_or(&600);
    let builder = cmi_sandbox::Sandbox::builder()
        .port(port)
        .token_ttl(Duration::from_secs(ttl))
        .revoke_on_reissue(m.get_flag("revoke_on_reissue"))
        .qps_limit(*m.get_one::<u32>("qps_limit").unwrap_or(&0));
    match cmi_sandbox::serve_forever(builder).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("cmi sandbox: {e}");
            ExitCode::from(crate::exit::INTERNAL)
        }
    }
}
