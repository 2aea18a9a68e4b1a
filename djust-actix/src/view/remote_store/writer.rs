//! The writer of view sessions' state: one task on the Redis link that sends every write
//! queued since its last round trip as one pipeline of `EVALSHA`s, and of several writes of one
//! session only the newest (it carries the newest state, high-water mark and revision: what
//! the older ones would have stored, and more). Each write's `done` learns the outcome of the
//! write that stored it, in the order the writes were queued.

use std::{collections::HashMap, sync::Arc};

use redis::{aio::ConnectionManager, ErrorKind, RedisResult, Script, ServerErrorKind};
use tokio::sync::mpsc;

use super::{Written, BOUND};

/// Tells the writer of a write what became of it (called on the link's thread).
pub(crate) type Done = Box<dyn FnOnce(Written) + Send>;

/// Writes waiting for the writer; past this a write is refused (the session stays in memory).
pub(super) const QUEUE: usize = 16_384;
/// Writes taken from the queue for one round trip.
const BATCH: usize = 512;

/// One write (the `WRITE` script, or `FORGET`): its key, its arguments, whom to tell (told
/// `Local` if the job is dropped untold: the link shut down).
pub(super) struct Job {
    pub(super) script: Arc<Script>,
    pub(super) key: String,
    pub(super) args: Vec<String>,
    pub(super) done: Option<Done>,
}

impl Job {
    fn tell(&mut self, written: Written) {
        if let Some(done) = self.done.take() {
            done(written);
        }
    }
}

impl Drop for Job {
    fn drop(&mut self) {
        self.tell(Written::Local);
    }
}

/// Sends the queued jobs, batch after batch, until the queue closes.
pub(super) async fn run(
    mut conn: ConnectionManager,
    mut jobs: mpsc::Receiver<Job>,
    scripts: Vec<Arc<Script>>,
) {
    let mut batch = Vec::with_capacity(BATCH);
    while jobs.recv_many(&mut batch, BATCH).await > 0 {
        let newest = newest_of_each_key(&batch);
        let sent: Vec<usize> = (0..batch.len())
            .filter(|index| newest[batch[*index].key.as_str()] == *index)
            .collect();
        let pipe = pipeline(&batch, &sent);
        let outcomes = match tokio::time::timeout(BOUND, send(&mut conn, &scripts, &pipe)).await {
            Ok(Ok(outcomes)) => outcomes,
            Ok(Err(error)) => {
                log::debug!("djust: view sessions not stored in redis: {error}");
                vec![Written::Local; sent.len()]
            }
            Err(_) => {
                log::debug!("djust: redis did not store view sessions within {BOUND:?}");
                vec![Written::Local; sent.len()]
            }
        };
        let outcome_of: HashMap<usize, Written> = sent.into_iter().zip(outcomes).collect();
        let verdicts: Vec<Written> = batch
            .iter()
            .map(|job| outcome_of[&newest[job.key.as_str()]])
            .collect();
        for (mut job, written) in batch.drain(..).zip(verdicts) {
            job.tell(written);
        }
    }
}

/// The index of the last job of each key.
fn newest_of_each_key(batch: &[Job]) -> HashMap<&str, usize> {
    batch
        .iter()
        .enumerate()
        .map(|(index, job)| (job.key.as_str(), index))
        .collect()
}

/// One `EVALSHA` of each of the `sent` jobs.
fn pipeline(batch: &[Job], sent: &[usize]) -> redis::Pipeline {
    let mut pipe = redis::pipe();
    pipe.ignore_errors();
    for index in sent {
        let job = &batch[*index];
        pipe.cmd("EVALSHA")
            .arg(job.script.get_hash())
            .arg(1)
            .arg(&job.key)
            .arg(&job.args);
    }
    pipe
}

/// Sends `pipe`; loads the scripts first if Redis lost them (a restart).
async fn send(
    conn: &mut ConnectionManager,
    scripts: &[Arc<Script>],
    pipe: &redis::Pipeline,
) -> RedisResult<Vec<Written>> {
    let mut results: Vec<RedisResult<i64>> = pipe.query_async(conn).await?;
    if results.iter().any(is_no_script) {
        for script in scripts {
            script.prepare_invoke().load_async(conn).await?;
        }
        results = pipe.query_async(conn).await?;
    }
    Ok(results
        .into_iter()
        .map(|result| match result {
            Ok(1) => Written::Stored,
            Ok(_) => Written::Fenced,
            Err(error) => {
                log::debug!("djust: view session not stored in redis: {error}");
                Written::Local
            }
        })
        .collect())
}

fn is_no_script(result: &RedisResult<i64>) -> bool {
    result
        .as_ref()
        .is_err_and(|error| error.kind() == ErrorKind::Server(ServerErrorKind::NoScript))
}
