//! The threaded reading pipeline: batches of rows checked on worker threads and handed to the
//! sinks in order.

use super::*;

/// Rows handed from the reading thread to a worker: raw CSV rows of one file.
pub(super) struct Batch {
    pub(super) file: usize,
    pub(super) layout: Arc<Layout>,
    pub(super) rows: Vec<csv::ByteRecord>,
    pub(super) len: usize,
}

/// Rows per batch: enough to make handing them over cheap, few enough to keep memory flat.
pub(super) const BATCH: usize = 4096;

/// Where validated records go: the evaluator's accumulators.
pub trait Sink {
    /// Takes one valid record.
    fn add(&mut self, rec: &Record<'_>);
    /// Announces a record that [`Sink::add`] will take shortly, so that the memory it will touch
    /// can be loaded meanwhile. Only a hint; the default does nothing.
    fn prefetch(&self, _rec: &Record<'_>) {}
}

/// A validated row waiting in a batch: the record, its fields being `values[fields]`.
pub(super) struct Pending {
    pub(super) kind: usize,
    pub(super) year: i32,
    pub(super) month: u8,
    pub(super) day: u8,
    pub(super) subject: Subject,
    pub(super) fields: std::ops::Range<usize>,
    pub(super) line: u32,
}

/// How many records ahead of the one being added the memory of the next is requested.
pub(super) const AHEAD: usize = 8;

/// One worker's state: its own problems and buffers, and its own sink.
pub(super) struct Worker<'v, 'p> {
    pub(super) voc: &'v Vocabulary<'p>,
    pub(super) files: &'v [String],
    pub(super) errors: Problems,
    /// The fields of the batch's valid rows, one after the other.
    pub(super) values: Vec<Value>,
    pub(super) pending: Vec<Pending>,
    /// Per row of the batch: the person its `person` cell names, when looked up ahead.
    pub(super) people: Vec<Option<usize>>,
    /// The batch's person cells as keys, with their hashes.
    pub(super) keys: Vec<Option<(u64, IdKey)>>,
    /// An empty row to stand in for the one being read.
    pub(super) spare: Option<csv::ByteRecord>,
    /// Files found not to be UTF-8 here, with the first bad line: the rest of such a file is skipped.
    pub(super) not_utf8: Vec<(usize, usize)>,
}

impl Worker<'_, '_> {
    /// Validates a batch, then hands its records to `sink`. Records are added in two passes so
    /// that, while one is added, the accumulators of one a few rows further on are being loaded:
    /// a district's records hit people at random, and waiting for memory is most of the work.
    // Long on purpose: the two passes share the batch's buffers and are the reading's hot loop;
    // split it only with the benchmark measured before and after.
    pub(super) fn process<S: Sink>(&mut self, batch: &mut Batch, sink: &mut S) {
        let file = self.files.get(batch.file).map_or("", String::as_str);
        self.values.clear();
        self.pending.clear();
        let layout = &batch.layout;
        // The people of the whole batch are looked up first, in a loop of nothing else: the
        // processor then waits for several of these lookups (scattered over a large table) at
        // once instead of one after the other. A cell not found here is looked up again below,
        // where a problem gets its message.
        self.people.clear();
        if let Some(col) = layout.person {
            let people = &self.voc.people;
            // Hashed first, then looked up in a loop that does nothing else.
            self.keys.clear();
            self.keys.extend(batch.rows[..batch.len].iter().map(|row| {
                IdKey::from_bytes(row.get(col).unwrap_or(b"").trim_ascii())
                    .map(|key| (people.hash(&key), key))
            }));
            self.people.extend(
                self.keys
                    .iter()
                    .map(|k| k.as_ref().and_then(|(h, key)| people.find(*h, key))),
            );
        }
        for (i, row) in batch.rows[..batch.len].iter_mut().enumerate() {
            if self.not_utf8.iter().any(|(f, _)| *f == batch.file) {
                break;
            }
            let at = RowAt {
                line: line_of(row),
                person: self.people.get(i).copied().flatten(),
            };
            let line = at.line;
            let start = self.values.len();
            // The whole row is checked for UTF-8 at once, which is much cheaper than cell by
            // cell; a row that fails is read cell by cell, to find the cell at fault.
            // The row is swapped out for a spare (taking it would allocate a new empty one).
            let spare = self.spare.take().unwrap_or_default();
            let got = match csv::StringRecord::from_byte_record(std::mem::replace(row, spare)) {
                Ok(text) => {
                    let got = read_row(
                        self.voc,
                        layout,
                        Cells::Text(&text),
                        file,
                        at,
                        &mut self.values,
                        &mut self.errors,
                    );
                    self.spare = Some(std::mem::replace(row, text.into_byte_record()));
                    got
                }
                Err(e) => {
                    self.spare = Some(std::mem::replace(row, e.into_byte_record()));
                    read_row(
                        self.voc,
                        layout,
                        Cells::Bytes(row),
                        file,
                        at,
                        &mut self.values,
                        &mut self.errors,
                    )
                }
            };
            match got {
                Row::Record(kind, year, month, day, subject) if self.errors.is_empty() => {
                    self.pending.push(Pending {
                        kind,
                        year,
                        month,
                        day,
                        subject,
                        fields: start..self.values.len(),
                        line: u32::try_from(line).unwrap_or(u32::MAX),
                    });
                }
                Row::Record(..) | Row::Invalid => self.values.truncate(start),
                Row::NotUtf8 => {
                    self.values.truncate(start);
                    self.not_utf8.push((batch.file, line));
                }
            }
        }
        if !self.errors.is_empty() {
            // Nothing will be computed: the rows are only being checked.
            return;
        }
        let file = u32::try_from(batch.file).unwrap_or(u32::MAX);
        let values = &self.values;
        let record = |p: &Pending| Record {
            kind: p.kind,
            year: p.year,
            month: p.month,
            day: p.day,
            subject: p.subject,
            fields: values.get(p.fields.clone()).unwrap_or(&[]),
            origin: Origin { file, line: p.line },
        };
        for (i, p) in self.pending.iter().enumerate() {
            if let Some(ahead) = self.pending.get(i + AHEAD) {
                sink.prefetch(&record(ahead));
            }
            sink.add(&record(p));
        }
    }
}

/// Reads every record file once, validating each row and handing each valid record to one of
/// the sinks `make` gives. With several sinks, rows are validated and added on that many threads,
/// each sink receiving a share of the records (the caller merges them; sums do not depend on which
/// thread saw which record). Returns the sinks and every problem found, in file and line order,
/// the same whatever the number of threads. Once a problem is found, rows are still validated but
/// no longer handed on.
///
/// Files are read as `encoding` says. With [`Encoding::Auto`] a file is streamed as UTF-8 (the
/// fast way for big files); one that turns out not to be UTF-8 but GB18030 is read again decoded,
/// into new sinks from `make`, as the first ones hold part of its rows. A file named like one of
/// `memory` is read from there, as UTF-8.
pub fn read_records<S: Sink + Send>(
    policy: &Policy,
    roster: &Roster,
    files: &[PathBuf],
    memory: &[InMemory],
    encoding: Encoding,
    mut make: impl FnMut() -> Vec<S>,
) -> (Vec<S>, Problems) {
    let files = Files {
        paths: files,
        memory,
    };
    let mut encodings: Vec<Encoding> = files
        .paths
        .iter()
        .map(|p| match files.in_memory(p) {
            Some(_) => Encoding::Utf8,
            None => encoding,
        })
        .collect();
    let mut sinks = make();
    match read_pass(policy, roster, files, &encodings, true, &mut sinks) {
        Ok(errors) => (sinks, errors),
        Err(again) => {
            drop(sinks);
            for f in again {
                if let Some(e) = encodings.get_mut(f) {
                    *e = Encoding::Gb18030;
                }
            }
            let mut sinks = make();
            let errors =
                read_pass(policy, roster, files, &encodings, false, &mut sinks).unwrap_or_default();
            (sinks, errors)
        }
    }
}

/// The record files to read: their paths, and the texts held in memory that stand for some of them.
#[derive(Clone, Copy)]
pub(super) struct Files<'a> {
    pub(super) paths: &'a [PathBuf],
    pub(super) memory: &'a [InMemory],
}

impl<'a> Files<'a> {
    /// The text held in memory for this file, if it is one.
    fn in_memory(&self, path: &Path) -> Option<&'a InMemory> {
        self.memory.iter().find(|m| m.name == path)
    }
}

/// One reading of every file, each in its encoding. With `retry`, the files read as
/// [`Encoding::Auto`] that turn out to be GB18030 are returned as `Err`, to be read again as that.
fn read_pass<S: Sink + Send>(
    policy: &Policy,
    roster: &Roster,
    files: Files<'_>,
    encodings: &[Encoding],
    retry: bool,
    sinks: &mut [S],
) -> Result<Problems, Vec<usize>> {
    let voc = Vocabulary::new(policy, roster);
    let names: Vec<String> = files
        .paths
        .iter()
        .map(|f| crate::sheet_path::shown(f))
        .collect();
    let worker = || Worker {
        voc: &voc,
        files: &names,
        errors: Problems::new(Stage::Reading),
        values: Vec::new(),
        pending: Vec::new(),
        people: Vec::new(),
        keys: Vec::new(),
        spare: None,
        not_utf8: Vec::new(),
    };
    let mut reading = Problems::new(Stage::Reading);
    let mut workers = Vec::new();
    match sinks {
        [] => {}
        [sink] => {
            let mut w = worker();
            let mut batch = None;
            read_batches(
                files,
                &names,
                &voc,
                encodings,
                &mut reading,
                &mut batch,
                &mut |b| {
                    w.process(b, sink);
                },
            );
            workers.push(w);
        }
        _ => {
            let (read, found) = read_threaded(files, &names, &voc, encodings, sinks, worker);
            reading.extend(read);
            workers = found;
        }
    }

    gather(files, &names, encodings, retry, reading, workers)
}

/// The reading of [`read_pass`] with a thread per sink: this thread reads the files into
/// batches and hands them round; each worker checks its batches' rows into its sink. Returns the
/// problems this thread found and the workers, with what they found.
fn read_threaded<'v, 'p, S: Sink + Send>(
    files: Files<'_>,
    names: &[String],
    voc: &Vocabulary<'p>,
    encodings: &[Encoding],
    sinks: &mut [S],
    worker: impl Fn() -> Worker<'v, 'p>,
) -> (Problems, Vec<Worker<'v, 'p>>) {
    let mut reading = Problems::new(Stage::Reading);
    let mut workers = Vec::new();
    std::thread::scope(|scope| {
        let mut senders = Vec::new();
        let mut handles = Vec::new();
        let (free_tx, free_rx) = std::sync::mpsc::channel::<Vec<csv::ByteRecord>>();
        for sink in sinks.iter_mut() {
            let (tx, rx) = std::sync::mpsc::sync_channel::<Batch>(2);
            let free = free_tx.clone();
            let mut w = worker();
            let spawned = std::thread::Builder::new().spawn_scoped(scope, move || {
                for mut batch in rx {
                    w.process(&mut batch, sink);
                    let _ = free.send(batch.rows);
                }
                w
            });
            if let Ok(h) = spawned {
                senders.push(tx);
                handles.push(h);
            }
        }
        if senders.is_empty() {
            reading.push(Diag::unreadable(
                Code::CannotRead,
                "",
                crate::tr!(
                    "could not start a thread to read the records",
                    "开不了读记录的线程"
                ),
            ));
            return;
        }
        let mut next = 0;
        let mut batch = None;
        read_batches(
            files,
            names,
            voc,
            encodings,
            &mut reading,
            &mut batch,
            &mut |b| {
                let rows = free_rx.try_recv().unwrap_or_default();
                let full = std::mem::replace(
                    b,
                    Batch {
                        file: b.file,
                        layout: Arc::clone(&b.layout),
                        rows,
                        len: 0,
                    },
                );
                hand_round(&senders, &mut next, full);
            },
        );
        drop(senders);
        for h in handles {
            match h.join() {
                Ok(w) => workers.push(w),
                Err(_) => reading.push(thread_stopped()),
            }
        }
    });
    (reading, workers)
}

/// Hands a full batch to the next worker in turn. A worker that has stopped has stopped for good;
/// the others take its share.
fn hand_round(senders: &[std::sync::mpsc::SyncSender<Batch>], next: &mut usize, full: Batch) {
    let mut pending = Some(full);
    for _ in 0..senders.len() {
        let Some(full) = pending.take() else { break };
        match senders[*next % senders.len()].send(full) {
            Ok(()) => {}
            Err(std::sync::mpsc::SendError(back)) => pending = Some(back),
        }
        *next += 1;
    }
}

/// The problem of a reading thread that panicked.
fn thread_stopped() -> Diag {
    Diag::unreadable(
        Code::CannotRead,
        "",
        crate::tr!(
            "a thread reading the records stopped unexpectedly; this is a bug in tally",
            "读记录的线程意外停了；这是 tally 的缺陷"
        ),
    )
}

/// Reads the files in order, filling `batch` with raw rows and calling `full` each time it holds
/// [`BATCH`] rows or a file ends. Problems with whole files or the CSV itself go to `errors`.
pub(super) fn read_batches(
    files: Files<'_>,
    names: &[String],
    voc: &Vocabulary<'_>,
    encodings: &[Encoding],
    errors: &mut Problems,
    batch: &mut Option<Batch>,
    full: &mut dyn FnMut(&mut Batch),
) {
    // The workbook whose sheets are being read (they come one after the other).
    let mut book: Option<Workbook> = None;
    for (index, path) in files.paths.iter().enumerate() {
        let file = names.get(index).map_or("", String::as_str);
        let encoding = encodings.get(index).copied().unwrap_or_default();
        let read = match (files.in_memory(path), crate::sheet_path::split(path)) {
            (Some(text), _) => text.rows(),
            (None, Some((workbook, sheet))) => {
                sheet_rows(voc, errors, &mut book, &workbook, sheet, file)
            }
            (None, None) => csv_rows(path, file, encoding),
        };
        let (header, mut reader) = match read {
            Ok(Some(h)) => h,
            Ok(None) => continue, // an empty file holds no records
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        let Some(layout) = layout(voc, header, file, errors) else {
            continue;
        };
        let layout = Arc::new(layout);
        let b = batch.get_or_insert_with(|| Batch {
            file: index,
            layout: Arc::clone(&layout),
            rows: Vec::new(),
            len: 0,
        });
        b.file = index;
        b.layout = layout;
        b.len = 0;
        loop {
            if b.len == b.rows.len() {
                b.rows.push(csv::ByteRecord::new());
            }
            match reader.next(&mut b.rows[b.len], file) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    errors.push(e);
                    break;
                }
            }
            if let Some(e) = reader.quote_problem(file) {
                errors.push(e);
                continue;
            }
            if is_blank(&b.rows[b.len]) {
                continue;
            }
            b.len += 1;
            if b.len == BATCH {
                full(b);
                b.len = 0;
            }
        }
        if b.len > 0 {
            full(b);
            b.len = 0;
        }
    }
}

/// A CSV record file's header and rows; `None` when it is empty.
fn csv_rows(
    path: &Path,
    file: &str,
    encoding: Encoding,
) -> Result<Option<(Header, Rows)>, Box<Diag>> {
    let mut reader = match encoding {
        Encoding::Gb18030 => open_decoded(path, encoding)?,
        Encoding::Auto | Encoding::Utf8 => open(path)?,
    };
    Ok(read_header(&mut reader, file, encoding)?.map(|h| (h, Rows::Csv(reader))))
}

/// A sheet's header and rows; `None` when it holds nothing. A sheet without a `kind` column
/// holds the records of the kind it is named after (its id or label).
fn sheet_rows(
    voc: &Vocabulary<'_>,
    errors: &mut Problems,
    book: &mut Option<Workbook>,
    workbook: &Path,
    sheet: &str,
    file: &str,
) -> Result<Option<(Header, Rows)>, Box<Diag>> {
    let open = match book.take() {
        Some(b) if b.path == workbook => b,
        _ => open_workbook(workbook)?,
    };
    let book = book.insert(open);
    let Some(mut table) = book.table(sheet, Role::Records, file)? else {
        return Ok(None);
    };
    for e in std::mem::take(&mut table.problems) {
        errors.push(e);
    }
    let has_kind = table
        .header
        .names
        .iter()
        .zip(table.header.ignored.iter())
        .any(|(n, ignored)| !ignored && alias(n) == "kind");
    if !has_kind {
        let Some(_) = voc.kinds.get(sheet.trim()) else {
            let candidates = voc
                .policy
                .kinds
                .iter()
                .flat_map(|k| [k.id.as_str(), k.label.as_str()]);
            return Err(Diag::in_file(
                Code::MissingColumn,
                file,
                None,
                crate::tr!(
                    format!(
                        "the sheet `{sheet}` has no `kind` column, and no record kind is named `{}`",
                        sheet.trim()
                    ),
                    format!(
                        "工作表 `{sheet}` 没有 `kind` 列，也没有叫 `{}` 的记录类型",
                        sheet.trim()
                    )
                ),
            )
            .help_cut(Some(match did_you_mean(sheet.trim(), candidates) {
                Some(close) => crate::tr!(
                    format!("{close} (a sheet named after a kind holds its records)"),
                    format!("{close}（以记录类型命名的工作表装的就是这类记录）")
                ),
                None => crate::tr!(
                    "name the sheet after a record kind (its id or label, like `迟到`), or \
                     add a `kind` column",
                    "用记录类型给工作表命名（名称或中文名，比如 `迟到`），或者加一个 `kind` 列"
                )
                .into(),
            }))
            .into());
        };
        // The kind, as a column after the last, in every row.
        table.header.names.push("kind".into());
        table
            .header
            .ignored
            .resize(table.header.names.len() - 1, false);
        table.header.ignored.push(false);
        for row in &mut table.rows {
            let at = row.position().cloned();
            while row.len() + 1 < table.header.names.len() {
                row.push_field(b"");
            }
            row.push_field(sheet.trim().as_bytes());
            row.set_position(at);
        }
    }
    Ok(Some((table.header, Rows::Sheet(table.rows.into_iter()))))
}
