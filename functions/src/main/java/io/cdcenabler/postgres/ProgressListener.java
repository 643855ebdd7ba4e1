package io.cdcenabler.postgres;

/** Receives progress of long passes so a command line can show it. */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (phase, done, total) -> { };

    void progress(String phase, int done, int total);
}
