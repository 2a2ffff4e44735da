fn main() -> std::process::ExitCode {
    tally::cli::run()
}
