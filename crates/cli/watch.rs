//! `archdraw watch SPEC... [-o FILE | --out-dir DIR]`: draws, then draws again each time a spec
//! is saved, until interrupted. Each drawing is written as `render` writes it (atomically), and
//! a spec with a problem gets its located message while the last good drawing stays.

use std::fs;
use std::process::ExitCode;
use std::time::Duration;

use crate::args::RenderArgs;
use crate::{report, stderr};

/// How often the specs are looked at: quick enough to feel live, cheap for a few small files.
const POLL: Duration = Duration::from_millis(250);

pub fn run(args: &RenderArgs) -> anyhow::Result<ExitCode> {
    if args.specs.iter().any(|s| crate::args::is_stdio(s)) {
        anyhow::bail!("watch reads spec files; standard input cannot be watched");
    }
    if args.output.is_none() && args.out_dir.is_none() && args.specs.len() > 1 {
        anyhow::bail!("several specs need --out-dir DIR, to write one file for each");
    }
    stderr(&format!(
        "archdraw: watching {} (Ctrl-C stops)\n",
        report::sanitize(
            &args.specs.iter().map(|s| s.display().to_string()).collect::<Vec<_>>().join(", ")
        )
    ));
    let mut seen: Option<Vec<Option<Vec<u8>>>> = None;
    loop {
        // The specs' bytes: a save that changes them, whatever their times say, is seen.
        let now: Vec<Option<Vec<u8>>> = args.specs.iter().map(|s| fs::read(s).ok()).collect();
        if seen.as_ref() != Some(&now) {
            match crate::render(args) {
                Ok(code) if code == ExitCode::SUCCESS => {
                    if let Some(target) = args.output.as_ref().or(args.out_dir.as_ref()) {
                        stderr(&format!(
                            "archdraw: drew {}\n",
                            report::sanitize(&target.display().to_string())
                        ));
                    }
                }
                // Problems were printed, located; the last good drawing stays.
                Ok(_) => {}
                Err(error) => {
                    stderr(&format!("archdraw: {}\n", report::sanitize(&format!("{error:#}"))));
                }
            }
            seen = Some(now);
        }
        std::thread::sleep(POLL);
    }
}
