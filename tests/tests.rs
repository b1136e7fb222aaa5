mod readback;
mod specs;
// Exit codes, stdin/stdout, formats and atomic output files of the `archdraw` binary.
mod cli;
// Every spec in fixtures/invalid gives its located message (snapshotted) and exit code 2.
mod errors;
