//! Progress on a terminal: the phase and files analysed, drawn on stderr once a run has taken
//! a second (a quick run stays silent), never when stderr is not a terminal or with `-q`.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What the engine reports as it goes; the default does nothing.
pub trait Progress: Sync {
    /// A new phase of `total` steps (0: a phase without steps).
    fn phase(&self, _name: &'static str, _total: u64) {}
    /// One step of the current phase done.
    fn step(&self) {}
    /// The run is over: clear what was drawn.
    fn finish(&self) {}
}

/// No progress at all.
pub struct Silent;

impl Progress for Silent {}

/// Don't draw for runs shorter than this.
const DELAY: Duration = Duration::from_secs(1);

/// A progress line on stderr, shown after [`DELAY`].
pub struct Terminal {
    bar: ProgressBar,
    started: Instant,
    shown: AtomicBool,
}

impl Terminal {
    /// Progress for this process: drawn only when stderr is a terminal and `quiet` is off.
    pub fn for_stderr(quiet: bool) -> Box<dyn Progress> {
        use std::io::IsTerminal;
        if quiet || !std::io::stderr().is_terminal() {
            return Box::new(Silent);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        Box::new(Self {
            bar,
            started: Instant::now(),
            shown: AtomicBool::new(false),
        })
    }

    fn show_when_slow(&self) {
        if self.started.elapsed() >= DELAY && !self.shown.swap(true, Ordering::Relaxed) {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.bar.enable_steady_tick(Duration::from_millis(120));
        }
    }
}

impl Progress for Terminal {
    fn phase(&self, name: &'static str, total: u64) {
        let template = if total > 0 {
            "{spinner} {msg} {pos}/{len} files [{elapsed}]"
        } else {
            "{spinner} {msg} [{elapsed}]"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            self.bar.set_style(style);
        }
        self.bar.set_length(total);
        self.bar.set_position(0);
        self.bar.set_message(name);
        self.show_when_slow();
    }

    fn step(&self) {
        self.bar.inc(1);
        self.show_when_slow();
    }

    fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
