//! The clone pass run beside the analysis: files are handed over as they are analysed, in any
//! order, and scanned in their stable order on a thread of their own, so a run without a cache
//! does not wait for the (sequential) pass after the (parallel) analysis. The clones are those
//! [`super::clones::join`] finds over the same files.

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};
use std::thread::JoinHandle;
use std::time::Duration;

use crate::join::clones::Found;
use crate::metrics::duplication::{Detector, Limits};
use crate::model::{DupToken, Language};

/// One file for the pass: its slot (its place in the stable order) and, when it takes part, its
/// language and tokens.
type Handed = (usize, Option<(Language, Vec<DupToken>)>);

/// The pass's thread and the way to it.
pub struct CloneStream {
    sender: Sender<Handed>,
    thread: JoinHandle<Outcome>,
}

/// What the pass gives back: each language's clones, with members as slots, and the tokens it
/// was handed, one stream per member.
pub struct Outcome {
    pub python: Found,
    pub rust: Found,
    pub python_tokens: Vec<Vec<DupToken>>,
    pub rust_tokens: Vec<Vec<DupToken>>,
}

impl CloneStream {
    /// Starts the pass; none when no thread can be started (the caller runs the pass after the
    /// analysis instead).
    pub fn start(limits: Limits) -> Option<Self> {
        let (sender, receiver) = channel();
        let thread = std::thread::Builder::new()
            .name("qgate-clones".into())
            .spawn(move || scan_in_order(&receiver, limits))
            .ok()?;
        Some(Self { sender, thread })
    }

    /// A sender for the analysis threads; every slot must be handed over once.
    pub fn sender(&self) -> Sender<Handed> {
        self.sender.clone()
    }

    /// Waits for the pass to scan everything handed over.
    pub fn finish(self) -> Outcome {
        drop(self.sender);
        match self.thread.join() {
            Ok(outcome) => outcome,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    }
}

/// One language's files in order, and its detector.
struct LanguagePass {
    files: Vec<Vec<DupToken>>,
    slots: Vec<usize>,
    detector: Detector,
}

impl LanguagePass {
    fn new(limits: Limits) -> Self {
        Self {
            files: Vec::new(),
            slots: Vec::new(),
            detector: Detector::new(limits),
        }
    }

    fn scan(&mut self, slot: usize, tokens: Vec<DupToken>) {
        self.files.push(tokens);
        self.slots.push(slot);
        self.detector.scan_last(&self.files);
    }
}

/// How long the pass sleeps when it has scanned everything handed over so far.
const POLL: Duration = Duration::from_micros(500);

fn scan_in_order(receiver: &Receiver<Handed>, limits: Limits) -> Outcome {
    let mut python = LanguagePass::new(limits);
    let mut rust = LanguagePass::new(limits);
    let mut scan = |slot: usize, handed: Option<(Language, Vec<DupToken>)>| match handed {
        Some((Language::Python, tokens)) => python.scan(slot, tokens),
        Some((Language::Rust, tokens)) => rust.scan(slot, tokens),
        None => {}
    };
    // Files arrive in the order they finish; each waits here until those before it are in.
    let mut waiting: BTreeMap<usize, Option<(Language, Vec<DupToken>)>> = BTreeMap::new();
    let mut next = 0;
    loop {
        let (slot, handed) = match receiver.try_recv() {
            Ok(item) => item,
            // A file arrives every few hundred microseconds: waiting for each (a system call to
            // wake this thread per file) cost more than looking again shortly.
            Err(TryRecvError::Empty) => {
                std::thread::sleep(POLL);
                continue;
            }
            Err(TryRecvError::Disconnected) => break,
        };
        waiting.insert(slot, handed);
        while let Some(handed) = waiting.remove(&next) {
            scan(next, handed);
            next += 1;
        }
    }
    // A slot never handed over (it cannot happen: every file sends one) leaves the rest in order.
    for (slot, handed) in std::mem::take(&mut waiting) {
        scan(slot, handed);
    }
    let found = |l: LanguagePass| {
        let found = Found {
            members: l.slots,
            groups: l.detector.groups(),
        };
        (found, l.files)
    };
    let (python, python_tokens) = found(python);
    let (rust, rust_tokens) = found(rust);
    Outcome {
        python,
        rust,
        python_tokens,
        rust_tokens,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::metrics::duplication::{Normalize, TokenClass, detect, token_key};

    fn stream(words: &str) -> Vec<DupToken> {
        words
            .split_whitespace()
            .enumerate()
            .map(|(n, w)| DupToken {
                key: token_key(w.as_bytes(), TokenClass::Syntax, Normalize::None),
                line: n as u32 / 3 + 1,
            })
            .collect()
    }

    #[test]
    fn files_handed_over_out_of_order_give_the_clones_of_the_batch_pass() {
        let body: String = (0..40).map(|k| format!("w{k} ")).collect();
        let other: String = (0..40).map(|k| format!("v{k} ")).collect();
        let files = [
            stream(&body),
            stream(&other),
            stream(&format!("x y {body}")),
            stream(&format!("{other} z")),
        ];
        let limits = Limits {
            min_tokens: 20,
            min_lines: 3,
        };
        let refs: Vec<&[DupToken]> = files.iter().map(Vec::as_slice).collect();
        let batch = detect(&refs, limits);
        assert_eq!(batch.len(), 2);

        let stream = CloneStream::start(limits).expect("a thread");
        let sender = stream.sender();
        // Slot 1 is Rust, slot 4 takes no part; the rest arrive last first.
        for slot in [5, 4, 3, 2, 1, 0] {
            let handed = match slot {
                0 => Some((Language::Python, files[0].clone())),
                1 => Some((Language::Rust, files[1].clone())),
                2 => Some((Language::Python, files[1].clone())),
                3 => Some((Language::Python, files[2].clone())),
                5 => Some((Language::Python, files[3].clone())),
                _ => None,
            };
            sender.send((slot, handed)).expect("the pass is running");
        }
        drop(sender);
        let outcome = stream.finish();
        assert_eq!(outcome.python.members, [0, 2, 3, 5]);
        assert_eq!(outcome.python.groups, batch);
        assert_eq!(outcome.rust.members, [1]);
        assert!(outcome.rust.groups.is_empty());
        assert_eq!(
            outcome.python_tokens,
            [&files[0], &files[1], &files[2], &files[3]].map(Vec::clone)
        );
        assert_eq!(outcome.rust_tokens, [files[1].clone()]);
    }
}
