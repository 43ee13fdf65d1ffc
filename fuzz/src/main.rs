//! `fuzz-loop`: runs the fuzz targets without libFuzzer (no nightly needed) — each target's
//! saved regressions and seeds, then seeded mutants of them, until a count or a time is spent.
//!
//! fuzz-loop [--inputs N] [--seconds S] [--seed X] [--max-len BYTES] [TARGET...]
//!
//! A failing input is written to `fuzz/artifacts/<target>/` and the loop exits 1.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use qgate_fuzz::{Rng, Scratch, TARGETS, Target, mutate, seeds};

struct Args {
    inputs: u64,
    seconds: Option<u64>,
    seed: u64,
    max_len: usize,
    targets: Vec<&'static Target>,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args {
        inputs: 10_000,
        seconds: None,
        seed: 1,
        max_len: 64 * 1024,
        targets: Vec::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(arg) = it.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            it.next()
                .and_then(|v| v.parse().ok())
                .ok_or(format!("{name} takes a number"))
        };
        match arg.as_str() {
            "--inputs" => args.inputs = number("--inputs")?,
            "--seconds" => args.seconds = Some(number("--seconds")?),
            "--seed" => args.seed = number("--seed")?,
            "--max-len" => args.max_len = number("--max-len")? as usize,
            name => args.targets.push(qgate_fuzz::target(name).ok_or_else(|| {
                let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                format!("no target `{name}`; the targets are {}", names.join(", "))
            })?),
        }
    }
    if args.targets.is_empty() {
        args.targets = TARGETS.iter().collect();
    }
    Ok(args)
}

struct Outcome {
    inputs: u64,
    elapsed: Duration,
    failure: Option<(Vec<u8>, String)>,
}

fn fuzz(target: &'static Target, args: &Args) -> Outcome {
    let (inputs, seconds, seed, max_len) = (args.inputs, args.seconds, args.seed, args.max_len);
    let worker = std::thread::Builder::new()
        .stack_size(target.stack)
        .spawn(move || {
            let mut scratch = Scratch::new();
            let seeds = seeds(target);
            let mut rng = Rng::new(seed);
            let start = Instant::now();
            let deadline = seconds.map(|s| start + Duration::from_secs(s));
            let mut done = 0u64;
            // The seeds as they are (saved regressions first), then mutants of them.
            let mut replay = seeds.iter();
            loop {
                let finished = match deadline {
                    Some(d) => Instant::now() >= d,
                    None => done >= inputs,
                };
                if finished {
                    break;
                }
                let data = match replay.next() {
                    Some(d) => d.clone(),
                    None => mutate(&mut rng, &seeds, target.dictionary, max_len),
                };
                let result = catch_unwind(AssertUnwindSafe(|| target.run(&mut scratch, &data)));
                done += 1;
                if let Err(panic) = result {
                    let what = panic
                        .downcast_ref::<&str>()
                        .map(|s| (*s).to_owned())
                        .or_else(|| panic.downcast_ref::<String>().cloned())
                        .unwrap_or_else(|| "a panic".to_owned());
                    return Outcome {
                        inputs: done,
                        elapsed: start.elapsed(),
                        failure: Some((data, what)),
                    };
                }
            }
            Outcome {
                inputs: done,
                elapsed: start.elapsed(),
                failure: None,
            }
        })
        .expect("a thread for the target");
    worker.join().unwrap_or_else(|_| Outcome {
        inputs: 0,
        elapsed: Duration::ZERO,
        failure: Some((Vec::new(), "the worker thread died".to_owned())),
    })
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(args) => args,
        Err(e) => {
            eprintln!("fuzz-loop: error: {e}");
            return ExitCode::from(2);
        }
    };
    // The panics are the findings, reported below: the default hook's message would repeat them.
    std::panic::set_hook(Box::new(|_| {}));
    println!("| target | inputs | seconds | inputs/s | result |");
    println!("|---|---|---|---|---|");
    let mut failed = false;
    for &target in &args.targets {
        let outcome = fuzz(target, &args);
        let seconds = outcome.elapsed.as_secs_f64();
        let rate = outcome.inputs as f64 / seconds.max(1e-9);
        let result = match &outcome.failure {
            None => "clean".to_owned(),
            Some((data, what)) => {
                failed = true;
                let dir = qgate_fuzz::repository()
                    .join("fuzz/artifacts")
                    .join(target.name);
                let name = format!("crash-seed{}-input{}", args.seed, outcome.inputs);
                let saved = std::fs::create_dir_all(&dir)
                    .and_then(|()| std::fs::write(dir.join(&name), data))
                    .map_or_else(
                        |e| format!("not saved: {e}"),
                        |()| format!("fuzz/artifacts/{}/{name}", target.name),
                    );
                format!("FAILED: {what} ({saved})")
            }
        };
        println!(
            "| {} | {} | {seconds:.1} | {rate:.0} | {result} |",
            target.name, outcome.inputs
        );
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
