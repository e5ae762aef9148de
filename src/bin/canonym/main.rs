//! The `canonym` command: resolve names, check and fix text.

mod args;
mod check;
mod fix;
mod resolve;

use std::process::ExitCode;

use clap::{CommandFactory, Parser, Subcommand};

/// canonym: resolve the many spellings of a name to one canonical entity
#[derive(Parser, Debug)]
#[command(
    name = "canonym",
    version,
    after_help = "Exit status: 0 done (check: no findings), 1 check found something, \
                  2 error (bad table, bad input, bad option, unwritable file)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    Resolve(resolve::ResolveArgs),
    Check(check::CheckArgs),
    Fix(fix::FixArgs),
    /// Print a completion script for a shell (bash, zsh, fish, elvish,
    /// powershell)
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
}

fn main() -> ExitCode {
    // Usage errors exit 2 with clap's message, which names the flag;
    // --help and --version exit 0.
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Resolve(args) => resolve::run(args),
        Command::Check(args) => check::run(args),
        Command::Fix(args) => fix::run(args),
        Command::Completions { shell } => {
            let mut command = Cli::command();
            clap_complete::generate(*shell, &mut command, "canonym", &mut std::io::stdout());
            Ok(ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("canonym: {message}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Cli;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }
}
