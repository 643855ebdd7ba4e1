package io.cdcenabler.postgres;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** One statement of a plan: what it changes and the SQL that does it. */
public sealed interface Step permits Step.SqlStep, Step.GrantSelectStep, Step.PasswordStep, Step.NoteStep {

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

    /**
     * GRANT SELECT on a list of tables to a role. The setup transaction commits each such statement on its own (on 18
     * a GRANT locks each table) and runs it again without a table the application dropped since planning.
     */
    record GrantSelectStep(Change change, String role, List<TableName> tables) implements Step {
        static final String PRIVILEGE_HINT = "ownership of the tables";

        public GrantSelectStep {
            tables = List.copyOf(tables);
        }

        @Override
        public String displaySql() {
            return "GRANT SELECT ON TABLE " + tables.stream().map(TableName::quoted).collect(Collectors.joining(", "))
                    + " TO " + Identifiers.quote(role);
        }

        /**
         * The grant without the table an "undefined table" error names ({@code relation "s.t" does not exist}), or
         * empty when the message names none of its tables.
         */
        java.util.Optional<GrantSelectStep> without(String error) {
            java.util.regex.Matcher matcher = java.util.regex.Pattern.compile("relation \"(.*)\" does not exist",
                    java.util.regex.Pattern.DOTALL)
                    .matcher(error == null ? "" : error);
            if (!matcher.find()) {
                return java.util.Optional.empty();
            }
            for (int index = 0; index < tables.size(); index++) {
                TableName table = tables.get(index);
                if ((table.schema() + "." + table.table()).equals(matcher.group(1))) {
                    List<TableName> rest = new ArrayList<>(tables);
                    rest.remove(index);
                    return java.util.Optional.of(new GrantSelectStep(change, role, rest));
                }
            }
            return java.util.Optional.empty();
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
