//! `lockstep`: the command line's dispatch only; see `cli` (and `child` for the binary started
//! again as a live child process).

fn main() -> std::process::ExitCode {
    let mut args = std::env::args();
    if args.nth(1).as_deref() == Some(lockstep::engine::child::CHILD_ARG)
        && let Some(spec) = args.next()
    {
        return lockstep::child::main(&spec);
    }
    lockstep::cli::main()
}
