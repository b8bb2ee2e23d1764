//! The `textnorm` command: flags → config → pipeline → run.

mod app;
mod cli;

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let args = match cli::Args::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let built = args
        .config()
        .and_then(|cfg| textnorm::Pipeline::new(&cfg).map(|p| (cfg, p)));
    let (cfg, pipeline) = match built {
        Ok(x) => x,
        Err(e) => {
            eprintln!("textnorm: {e}");
            return ExitCode::from(2);
        }
    };
    match app::run(&args, &cfg, &pipeline) {
        Ok(app::Status::Ok) => ExitCode::SUCCESS,
        Ok(app::Status::IoError) => ExitCode::from(1),
        Ok(app::Status::Rejected) => ExitCode::from(3),
        Err(e) => {
            eprintln!("textnorm: {e:#}");
            ExitCode::from(1)
        }
    }
}
