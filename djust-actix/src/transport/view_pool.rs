//! [`run`]: the threads that run view code (mounts, handlers, renders, diffs) off the I/O
//! threads, so that one connection's expensive handler never stalls the others' frames.
//!
//! A fixed set of threads (one per core) takes jobs from one queue, in order; when no job
//! was taken for a whole [`STALL`] while some wait (every thread is held by a slow handler),
//! a watchdog adds a thread, up to [`MAX_THREADS`]; threads above the fixed set leave after
//! [`KEEP_ALIVE`] without work. This replaces `spawn_blocking`, which starts a thread for
//! every job that finds no idle one: on a busy core, where the I/O thread queues a burst of
//! events before any pool thread runs, that grew tens of threads and a context switch per
//! event. Here a burst is drained by the threads already awake, one wake-up for many jobs.

use std::{
    collections::VecDeque,
    panic::{catch_unwind, AssertUnwindSafe},
    sync::{Condvar, Mutex, MutexGuard, OnceLock},
    thread,
    time::Duration,
};

/// How long the queue may wait with no job taken before the watchdog adds a thread.
const STALL: Duration = Duration::from_millis(1);
/// How long a thread above the fixed set waits for work before it leaves.
const KEEP_ALIVE: Duration = Duration::from_secs(10);
/// How long the watchdog goes on checking once the queue is empty (a burst often follows).
const WATCH_WHILE_EMPTY: Duration = Duration::from_millis(20);
/// At most this many threads (as tokio's blocking pool).
const MAX_THREADS: usize = 512;

type Job = Box<dyn FnOnce() + Send>;

/// Runs `job` on a view thread, after the jobs queued before it. A panic in `job` ends the
/// job only (what it would have sent is dropped, which its caller sees).
pub(crate) fn run(job: impl FnOnce() + Send + 'static) {
    pool().submit(Box::new(job));
}

fn pool() -> &'static Pool {
    static POOL: OnceLock<Pool> = OnceLock::new();
    POOL.get_or_init(|| Pool {
        fixed: thread::available_parallelism().map_or(1, usize::from),
        state: Mutex::default(),
        work: Condvar::new(),
        watch: Condvar::new(),
    })
}

struct Pool {
    /// Threads that stay however idle (one per core the process may run on).
    fixed: usize,
    state: Mutex<State>,
    /// Where idle threads wait for jobs.
    work: Condvar,
    /// Where the watchdog waits for a job while it is not watching.
    watch: Condvar,
}

#[derive(Default)]
struct State {
    queue: VecDeque<Job>,
    threads: usize,
    /// Threads waiting for work and not yet claimed by a job.
    idle: usize,
    /// Wake-ups `submit` sent that no thread took yet.
    wakeups: usize,
    /// Jobs taken so far (the watchdog sees whether the threads make progress).
    taken: u64,
    watchdog: Watchdog,
}

#[derive(Default, PartialEq, Eq)]
enum Watchdog {
    #[default]
    NotStarted,
    /// Waiting for a job that finds no idle thread.
    Asleep,
    Watching,
}

impl Pool {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn submit(&'static self, job: Job) {
        let mut state = self.state();
        state.queue.push_back(job);
        // An idle thread is claimed here, not when it wakes: a second job queued before it
        // runs sees no idle thread, so the watchdog watches it.
        let wake_thread = state.idle > 0;
        if wake_thread {
            state.idle -= 1;
            state.wakeups += 1;
        }
        if !wake_thread && state.threads < self.fixed {
            self.spawn_thread(&mut state);
        }
        // The job waits for a busy thread: the watchdog watches (it sleeps otherwise, so
        // that a server with a thread to spare per job never hears from it).
        let wake_watchdog = !wake_thread && state.watchdog == Watchdog::Asleep;
        if !wake_thread && state.watchdog != Watchdog::Watching {
            if state.watchdog == Watchdog::NotStarted {
                thread::Builder::new()
                    .name("djust-view-watchdog".into())
                    .spawn(move || self.watchdog())
                    .expect("the OS starts a thread");
            }
            state.watchdog = Watchdog::Watching;
        }
        // Woken after the lock is released: a thread woken while it is held would only run
        // to block on it again (two more context switches on a single core).
        drop(state);
        if wake_thread {
            self.work.notify_one();
        }
        if wake_watchdog {
            self.watch.notify_one();
        }
    }

    fn spawn_thread(&'static self, state: &mut State) {
        state.threads += 1;
        let spawned = thread::Builder::new()
            .name("djust-view".into())
            .spawn(move || self.work_loop());
        if let Err(error) = spawned {
            state.threads -= 1;
            log::error!("djust: could not start a view thread: {error}");
        }
    }

    /// A view thread: takes jobs in order until it has waited [`KEEP_ALIVE`] for one while
    /// more threads than the fixed set run.
    fn work_loop(&self) {
        let mut state = self.state();
        loop {
            if let Some(job) = state.queue.pop_front() {
                state.taken += 1;
                drop(state);
                // View code runs under its own `catch_unwind`; this keeps the thread should
                // anything else panic (the job's caller sees its answer dropped).
                if catch_unwind(AssertUnwindSafe(job)).is_err() {
                    log::error!("djust: a view job panicked");
                }
                state = self.state();
                continue;
            }
            state.idle += 1;
            loop {
                let (guard, waited) = self
                    .work
                    .wait_timeout(state, KEEP_ALIVE)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                state = guard;
                if state.wakeups > 0 {
                    // Claimed by `submit`, which took it off the idle count.
                    state.wakeups -= 1;
                    break;
                }
                if waited.timed_out() {
                    state.idle -= 1;
                    if state.queue.is_empty() && state.threads > self.fixed {
                        state.threads -= 1;
                        return;
                    }
                    break;
                }
                // A spurious wake-up: still idle.
            }
        }
    }

    /// Adds a thread whenever jobs wait and none was taken for a whole [`STALL`]; sleeps
    /// once the queue was empty for [`WATCH_WHILE_EMPTY`].
    fn watchdog(&'static self) {
        let mut state = self.state();
        let (mut taken, mut empty_for) = (state.taken, Duration::ZERO);
        loop {
            if state.watchdog == Watchdog::Asleep {
                state = self
                    .watch
                    .wait(state)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
                (taken, empty_for) = (state.taken, Duration::ZERO);
                continue;
            }
            state = self
                .watch
                .wait_timeout(state, STALL)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
            let stalled = !state.queue.is_empty() && state.taken == taken && state.idle == 0;
            if stalled && state.threads < MAX_THREADS {
                self.spawn_thread(&mut state);
            }
            empty_for = if state.queue.is_empty() {
                empty_for + STALL
            } else {
                Duration::ZERO
            };
            if empty_for >= WATCH_WHILE_EMPTY {
                state.watchdog = Watchdog::Asleep;
            }
            taken = state.taken;
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{mpsc, Arc, Barrier};

    use super::*;

    #[test]
    fn jobs_run_and_a_held_thread_does_not_hold_the_queue() {
        // More jobs held at once than the fixed threads: the watchdog adds threads until
        // every one runs, and a later job still runs while they are held.
        let held = pool().fixed + 2;
        let gate = Arc::new(Barrier::new(held + 1));
        let (done, finished) = mpsc::channel();
        for _ in 0..held {
            let (gate, done) = (Arc::clone(&gate), done.clone());
            run(move || {
                gate.wait();
                done.send(()).expect("the test waits");
            });
        }
        let (late, answered) = mpsc::channel();
        run(move || late.send(7).expect("the test waits"));
        // A generous bound so that a broken pool fails the test instead of hanging it.
        let bound = Duration::from_secs(60);
        assert_eq!(
            answered.recv_timeout(bound),
            Ok(7),
            "ran while the others are held"
        );
        gate.wait();
        for _ in 0..held {
            finished.recv().expect("every held job ends");
        }
    }

    #[test]
    fn a_panicking_job_leaves_its_thread_working() {
        run(|| panic!("a job that panics"));
        let (tx, rx) = mpsc::channel();
        for _ in 0..pool().fixed + 1 {
            let tx = tx.clone();
            run(move || tx.send(()).expect("the test waits"));
        }
        for _ in 0..pool().fixed + 1 {
            rx.recv().expect("jobs after the panic run");
        }
    }
}
