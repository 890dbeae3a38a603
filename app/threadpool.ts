/**
 * Every durable write is open → write → fsync → close → rename → fsync of the
 * folder, and each of those fs calls takes one of libuv's worker threads for
 * its whole duration; an fsync can hold one for milliseconds. With libuv's
 * default of 4 workers, at most 4 writes are in flight however many clients
 * wait, and reads queue behind them. 16 lets concurrent writers overlap
 * their fsyncs (the disk merges them) while bounding the threads.
 *
 * libuv reads UV_THREADPOOL_SIZE once, when the pool first starts, so this
 * module is the entry's first import: it runs before any fs call.
 * An explicit UV_THREADPOOL_SIZE in the environment wins.
 */
const THREADPOOL_SIZE = 16

process.env.UV_THREADPOOL_SIZE ??= String(THREADPOOL_SIZE)
