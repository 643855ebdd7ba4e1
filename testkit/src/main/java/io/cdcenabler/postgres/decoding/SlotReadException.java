package io.cdcenabler.postgres.decoding;

/** Reading the changes of a logical replication slot failed on the server (no such slot, wrong plugin, ...). */
public class SlotReadException extends RuntimeException {
    public SlotReadException(String message, Throwable cause) {
        super(message, cause);
    }
}
