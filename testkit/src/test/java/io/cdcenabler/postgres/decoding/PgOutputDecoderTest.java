package io.cdcenabler.postgres.decoding;

import io.cdcenabler.embedded.EmbeddedPostgresLauncher;
import io.cdcenabler.embedded.EmbeddedPostgresLauncher.RunningPostgres;
import io.cdcenabler.postgres.decoding.RowChange.Kind;
import io.cdcenabler.postgres.decoding.RowChange.OldImage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

class PgOutputDecoderTest {

    private static final int INT4 = 23;
    private static final int TEXT = 25;

    /** Decoding what a real PostgreSQL 17 sends through a pgoutput slot and a publication FOR TABLE. */
    @Nested
    class AgainstRealServer {
        private static final String PUBLICATION = "decoding_pub";
        private static final String SLOT = "decoding_slot";

        private static RunningPostgres postgres;
        private static Connection connection;

        @BeforeAll
        static void startServer() throws SQLException {
            postgres = EmbeddedPostgresLauncher.builder().start();
            try (Connection admin = postgres.connect("postgres")) {
                execute(admin, "CREATE DATABASE decoding");
            }
            connection = postgres.connect("decoding");
            execute(connection, """
                    CREATE TABLE public.orders (id integer PRIMARY KEY, status text NOT NULL);
                    CREATE TABLE public.documents (id integer PRIMARY KEY, title text NOT NULL, body text);
                    ALTER TABLE public.documents REPLICA IDENTITY FULL;
                    CREATE TABLE public.audit_log (event text, amount integer);
                    ALTER TABLE public.audit_log REPLICA IDENTITY FULL;
                    CREATE PUBLICATION decoding_pub FOR TABLE public.orders, public.documents, public.audit_log
                    """);
        }

        @AfterAll
        static void stopServer() throws SQLException {
            try {
                if (connection != null) {
                    connection.close();
                }
            } finally {
                if (postgres != null) {
                    postgres.close();
                }
            }
        }

        @BeforeEach
        void emptyTablesAndCreateSlot() throws SQLException {
            execute(connection, "TRUNCATE public.orders, public.documents, public.audit_log");
            execute(connection, "SELECT pg_catalog.pg_create_logical_replication_slot('decoding_slot', 'pgoutput')");
        }

        @AfterEach
        void dropSlot() throws SQLException {
            execute(connection, "SELECT pg_catalog.pg_drop_replication_slot('decoding_slot')");
        }

        @Test
        void decode_whenDefaultIdentityUpdate_carriesNoOldRow() throws SQLException {
            execute(connection, "INSERT INTO public.orders VALUES (1, 'new')");
            execute(connection, "UPDATE public.orders SET status = 'paid' WHERE id = 1");

            List<RowChange> changes = peek();

            assertThat(changes).extracting(RowChange::kind).containsExactly(Kind.INSERT, Kind.UPDATE);
            RowChange update = changes.get(1);
            assertThat(update.schema()).isEqualTo("public");
            assertThat(update.table()).isEqualTo("orders");
            assertThat(update.oldImage()).isEqualTo(OldImage.NONE);
            assertThat(update.oldRow()).isEmpty();
            assertThat(update.newRow()).containsExactly(
                    Map.entry("id", ColumnValue.text("1", INT4)),
                    Map.entry("status", ColumnValue.text("paid", TEXT)));
            assertThat(update.render()).isEqualTo("UPDATE public.orders old=(none) new={id=1, status='paid'}");
        }

        @Test
        void decode_whenDefaultIdentityUpdateChangesTheKey_carriesOnlyTheOldKey() throws SQLException {
            execute(connection, "INSERT INTO public.orders VALUES (1, 'new')");
            execute(connection, "UPDATE public.orders SET id = 2, status = 'moved' WHERE id = 1");

            RowChange update = peek().get(1);

            assertThat(update.oldImage()).isEqualTo(OldImage.KEY);
            assertThat(update.oldRow()).containsExactly(Map.entry("id", ColumnValue.text("1", INT4)));
            assertThat(update.render())
                    .isEqualTo("UPDATE public.orders key={id=1} new={id=2, status='moved'}");
        }

        @Test
        void decode_whenDefaultIdentityDelete_carriesOnlyTheKey() throws SQLException {
            execute(connection, "INSERT INTO public.orders VALUES (7, 'new')");
            execute(connection, "DELETE FROM public.orders WHERE id = 7");

            RowChange delete = peek().get(1);

            assertThat(delete.kind()).isEqualTo(Kind.DELETE);
            assertThat(delete.oldImage()).isEqualTo(OldImage.KEY);
            assertThat(delete.oldRow()).containsExactly(Map.entry("id", ColumnValue.text("7", INT4)));
            assertThat(delete.newRow()).isEmpty();
        }

        @Test
        void decode_whenFullIdentityUpdate_carriesCompleteOldRow() throws SQLException {
            execute(connection, "INSERT INTO public.audit_log VALUES ('created', 10)");
            execute(connection, "UPDATE public.audit_log SET amount = 20");

            RowChange update = peek().get(1);

            assertThat(update.kind()).isEqualTo(Kind.UPDATE);
            assertThat(update.oldImage()).isEqualTo(OldImage.FULL);
            assertThat(update.oldRow()).containsExactly(
                    Map.entry("event", ColumnValue.text("created", TEXT)),
                    Map.entry("amount", ColumnValue.text("10", INT4)));
            assertThat(update.newRow()).containsExactly(
                    Map.entry("event", ColumnValue.text("created", TEXT)),
                    Map.entry("amount", ColumnValue.text("20", INT4)));
            assertThat(update.render()).isEqualTo(
                    "UPDATE public.audit_log old={event='created', amount=10} new={event='created', amount=20}");
        }

        @Test
        void decode_whenFullIdentityDelete_carriesCompleteOldRowIncludingNulls() throws SQLException {
            execute(connection, "INSERT INTO public.audit_log VALUES (NULL, 5)");
            execute(connection, "DELETE FROM public.audit_log");

            RowChange delete = peek().get(1);

            assertThat(delete.kind()).isEqualTo(Kind.DELETE);
            assertThat(delete.oldImage()).isEqualTo(OldImage.FULL);
            assertThat(delete.oldRow()).containsExactly(
                    Map.entry("event", ColumnValue.NULL),
                    Map.entry("amount", ColumnValue.text("5", INT4)));
            assertThat(delete.render()).isEqualTo("DELETE public.audit_log old={event=null, amount=5}");
        }

        @Test
        void decode_whenToastedColumnLeftUnchanged_reportsItUnchangedInNewRowAndCompleteInOldRow()
                throws SQLException {
            String body = randomText(100 * 1024);
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO public.documents (id, title, body) VALUES (1, 'draft', ?)")) {
                insert.setString(1, body);
                insert.executeUpdate();
            }
            assertThat(storedBytes("SELECT pg_catalog.pg_column_size(body) FROM public.documents"))
                    .as("stored size of body: not compressed away").isGreaterThan(75 * 1024);
            assertThat(storedBytes("""
                    SELECT count(*) FROM pg_catalog.pg_class c
                    JOIN pg_catalog.pg_class t ON t.oid = c.reltoastrelid
                    WHERE c.oid = 'public.documents'::regclass AND pg_catalog.pg_relation_size(t.oid) > 0
                    """)).as("out-of-line TOAST storage in use").isEqualTo(1);

            execute(connection, "UPDATE public.documents SET title = 'final' WHERE id = 1");

            List<RowChange> changes = peek();
            RowChange insert = changes.get(0);
            RowChange update = changes.get(1);

            assertThat(insert.newRow().get("body").textValue()).isEqualTo(body);
            assertThat(update.oldImage()).isEqualTo(OldImage.FULL);
            assertThat(update.oldRow().get("title")).isEqualTo(ColumnValue.text("draft", TEXT));
            assertThat(update.oldRow().get("body").textValue()).isEqualTo(body);
            assertThat(update.newRow().get("title")).isEqualTo(ColumnValue.text("final", TEXT));
            assertThat(update.newRow().get("body")).isEqualTo(ColumnValue.UNCHANGED_TOAST);
            assertThat(update.render())
                    .startsWith("UPDATE public.documents old={id=1, title='draft', body='" + body.substring(0, 40)
                            + "...' (102400 chars)}")
                    .endsWith("new={id=1, title='final', body=<unchanged toast>}");
        }

        @Test
        void decode_whenTruncate_reportsEachTable() throws SQLException {
            execute(connection, "INSERT INTO public.orders VALUES (1, 'new')");
            execute(connection, "TRUNCATE public.orders, public.audit_log");

            List<RowChange> changes = peek();

            assertThat(changes).extracting(RowChange::kind, RowChange::qualifiedTable).containsExactlyInAnyOrder(
                    tuple(Kind.INSERT, "public.orders"),
                    tuple(Kind.TRUNCATE, "public.orders"),
                    tuple(Kind.TRUNCATE, "public.audit_log"));
        }

        @Test
        void consumeChanges_returnsEachChangeOnce() throws SQLException {
            execute(connection, "INSERT INTO public.orders VALUES (1, 'new')");

            List<RowChange> first = PgOutputDecoder.consumeChanges(connection, SLOT, PUBLICATION);
            List<RowChange> second = PgOutputDecoder.consumeChanges(connection, SLOT, PUBLICATION);

            assertThat(first).hasSize(1);
            assertThat(second).isEmpty();
        }

        @Test
        void peekChanges_whenSlotMissing_failsNamingTheSlot() {
            assertThatThrownBy(() -> PgOutputDecoder.peekChanges(connection, "no_such_slot", PUBLICATION))
                    .isInstanceOf(SlotReadException.class)
                    .hasMessageContaining("no_such_slot");
        }

        private static List<RowChange> peek() {
            return PgOutputDecoder.peekChanges(connection, SLOT, PUBLICATION);
        }

        private static long storedBytes(String sql) throws SQLException {
            try (Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private static String randomText(int length) {
            String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
            Random random = new Random(42);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return text.toString();
        }

        private static void execute(Connection target, String sql) throws SQLException {
            try (Statement statement = target.createStatement()) {
                statement.execute(sql);
            }
        }
    }

    @Test
    void decode_whenUnknownMessageType_skipsItAndKeepsDecoding() {
        PgOutputDecoder decoder = new PgOutputDecoder();

        List<RowChange> changes = decoder.decodeAll(List.of(
                message(out -> {
                    out.writeByte('M');
                    out.writeByte(1);
                    out.writeLong(0x16B3748L);
                    out.writeBytes("prefix\0");
                    out.writeInt(3);
                    out.writeBytes("abc");
                }),
                message(out -> out.writeByte('Z')),
                relationMessage(),
                message(out -> {
                    out.writeByte('I');
                    out.writeInt(16384);
                    out.writeByte('N');
                    out.writeShort(2);
                    textColumn(out, "1");
                    textColumn(out, "new");
                })));

        assertThat(changes).singleElement().satisfies(change -> {
            assertThat(change.kind()).isEqualTo(Kind.INSERT);
            assertThat(change.qualifiedTable()).isEqualTo("shop.orders");
            assertThat(change.newRow()).containsExactly(
                    Map.entry("id", ColumnValue.text("1", INT4)),
                    Map.entry("status", ColumnValue.text("new", TEXT)));
        });
    }

    @Test
    void decode_whenNullColumn_reportsNullNotEmptyText() {
        PgOutputDecoder decoder = new PgOutputDecoder();
        decoder.decode(relationMessage());

        List<RowChange> changes = decoder.decode(message(out -> {
            out.writeByte('U');
            out.writeInt(16384);
            out.writeByte('O');
            out.writeShort(2);
            textColumn(out, "1");
            out.writeByte('n');
            out.writeByte('N');
            out.writeShort(2);
            textColumn(out, "1");
            textColumn(out, "");
        }));

        RowChange update = changes.get(0);
        assertThat(update.oldImage()).isEqualTo(OldImage.FULL);
        assertThat(update.oldRow().get("status")).isEqualTo(ColumnValue.NULL);
        assertThat(update.newRow().get("status")).isEqualTo(ColumnValue.text("", TEXT));
        assertThat(update.render()).isEqualTo("UPDATE shop.orders old={id=1, status=null} new={id=1, status=''}");
    }

    @Test
    void decode_whenBeginAndCommit_returnsNoChanges() {
        PgOutputDecoder decoder = new PgOutputDecoder();

        List<RowChange> changes = decoder.decodeAll(List.of(
                message(out -> {
                    out.writeByte('B');
                    out.writeLong(100);
                    out.writeLong(200);
                    out.writeInt(734);
                }),
                message(out -> {
                    out.writeByte('C');
                    out.writeByte(0);
                    out.writeLong(100);
                    out.writeLong(120);
                    out.writeLong(200);
                })));

        assertThat(changes).isEmpty();
    }

    @Test
    void decode_whenRelationNotDescribedBefore_failsNamingTheOid() {
        PgOutputDecoder decoder = new PgOutputDecoder();

        assertThatThrownBy(() -> decoder.decode(message(out -> {
            out.writeByte('D');
            out.writeInt(99999);
            out.writeByte('K');
            out.writeShort(0);
        })))
                .isInstanceOf(PgOutputDecodingException.class)
                .hasMessageContaining("99999");
    }

    @Test
    void decode_whenMessageTruncated_failsNamingWhere() {
        PgOutputDecoder decoder = new PgOutputDecoder();
        decoder.decode(relationMessage());

        assertThatThrownBy(() -> decoder.decode(message(out -> {
            out.writeByte('I');
            out.writeInt(16384);
            out.writeByte('N');
            out.writeShort(2);
            out.writeByte('t');
            out.writeInt(10);
            out.writeBytes("abc");
        })))
                .isInstanceOf(PgOutputDecodingException.class)
                .hasMessageContaining("ends at byte");
    }

    private static byte[] relationMessage() {
        return message(out -> {
            out.writeByte('R');
            out.writeInt(16384);
            out.writeBytes("shop\0");
            out.writeBytes("orders\0");
            out.writeByte('d');
            out.writeShort(2);
            out.writeByte(1);
            out.writeBytes("id\0");
            out.writeInt(INT4);
            out.writeInt(-1);
            out.writeByte(0);
            out.writeBytes("status\0");
            out.writeInt(TEXT);
            out.writeInt(-1);
        });
    }

    private static void textColumn(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeByte('t');
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private interface MessageWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] message(MessageWriter writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
