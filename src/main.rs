//! `lockstep`: the command line's dispatch only; see `cli`.

fn main() -> std::process::ExitCode {
    lockstep::cli::main()
}
