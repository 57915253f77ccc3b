package com.openplatform.availability.records;

/** Tracks which required fields of a record were present. */
final class RequiredFields {
    private final String[] names;
    private int seen;

    RequiredFields(String... names) {
        this.names = names;
    }

    /** Marks a field as present; fields that are not required are ignored. */
    void mark(String field) {
        for (int i = 0; i < names.length; i++) {
            // Jackson interns field names, and the names here are literals.
            if (names[i].equals(field)) {
                seen |= 1 << i;
                return;
            }
        }
    }

    /** Rejects the record, naming the first required field that was absent. */
    void check() throws RecordRejectedException {
        for (int i = 0; i < names.length; i++) {
            if ((seen & (1 << i)) == 0) {
                throw StrictJson.missing(names[i]);
            }
        }
    }
}
