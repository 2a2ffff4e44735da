//! A spinner on standard error while an evaluation runs, for runs longer than a second, on a
//! terminal only: a pipe, a file or a snapshot never sees it, and standard output is never
//! touched. It is cleared before the command prints anything.
//!
//! The one thing printed outside [`super::output`]: indicatif draws it, and ignores a failed draw.

use std::io::IsTerminal;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long an evaluation runs before the spinner shows. `TALLY_PROGRESS_AFTER_MS` changes it
/// (the tests show it at once).
fn delay() -> Duration {
    let ms = std::env::var("TALLY_PROGRESS_AFTER_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(1000);
    Duration::from_millis(ms)
}

/// Shows the spinner until dropped (if the run lasts, on a terminal).
pub struct Progress {
    done: Option<Sender<()>>,
    drawer: Option<JoinHandle<()>>,
}

impl Progress {
    pub fn start(message: String) -> Self {
        let none = Progress {
            done: None,
            drawer: None,
        };
        if !std::io::stderr().is_terminal() {
            return none;
        }
        let delay = delay();
        // Shown at once when asked to, so that nothing races it.
        let (shown, message) = if delay.is_zero() {
            (Some(spinner(message)), None)
        } else {
            (None, Some(message))
        };
        let (done, finished) = mpsc::channel::<()>();
        let drawer = std::thread::Builder::new()
            .name("progress".to_string())
            .spawn(move || {
                let bar = match (shown, message) {
                    (Some(bar), _) => bar,
                    (None, message) => match finished.recv_timeout(delay) {
                        Err(RecvTimeoutError::Timeout) => spinner(message.unwrap_or_default()),
                        _ => return,
                    },
                };
                bar.enable_steady_tick(Duration::from_millis(100));
                let _ = finished.recv();
                bar.finish_and_clear();
            });
        match drawer {
            Ok(drawer) => Progress {
                done: Some(done),
                drawer: Some(drawer),
            },
            Err(_) => none,
        }
    }
}

fn spinner(message: String) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} ({elapsed})") {
        bar.set_style(style);
    }
    bar.set_message(message);
    bar.tick();
    bar
}

impl Drop for Progress {
    /// Clears the spinner, and waits until it is gone.
    fn drop(&mut self) {
        if let Some(done) = self.done.take() {
            let _ = done.send(());
        }
        if let Some(drawer) = self.drawer.take() {
            let _ = drawer.join();
        }
    }
}
