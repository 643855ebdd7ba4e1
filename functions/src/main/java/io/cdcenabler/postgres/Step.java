package io.cdcenabler.postgres;

/** One statement of a plan: what it changes and the SQL that does it. */
public sealed interface Step permits Step.SqlStep, Step.PasswordStep, Step.NoteStep {

    Change change();

    /** The statement as shown in a plan; a password appears only as a placeholder. */
    String displaySql();

    /**
     * A statement run as SQL text.
     *
     * @param privilegeHint what the admin needs for it, used to explain a permission error
     */
    record SqlStep(Change change, String sql, String privilegeHint) implements Step {
        @Override
        public String displaySql() {
            return sql;
        }
    }

    /** Sets a role's password as a SCRAM-SHA-256 verifier computed client-side: the server never sees plain text. */
    record PasswordStep(Change change, String role, Secret password) implements Step {
        @Override
        public String displaySql() {
            return "ALTER USER " + Identifiers.quote(role)
                    + " PASSWORD '<SCRAM-SHA-256 verifier computed client-side>'";
        }
    }

    /** Runs nothing: reports a decision, such as a role kept because another database still uses it. */
    record NoteStep(Change change) implements Step {
        @Override
        public String displaySql() {
            return "-- " + change;
        }
    }
}
