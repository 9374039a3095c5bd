package org.memledger.coordinator.raft;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * The small file that ties a data dir to one replica of one cluster ({@value #FILE_NAME}). Written
 * on first start, before Raft touches the directory, and compared on every later start: starting
 * a replica on a data dir of another cluster, another replica, or another peer list would otherwise
 * replay a foreign log into this group, or silently form a second group. Changing membership is a
 * Raft reconfiguration, not a flag change, so a different peer list is refused too.
 *
 * <pre>
 * DIR/memledger-replica.properties   this file
 * DIR/raft/&lt;group-uuid&gt;/current/      Ratis: raft-meta, log segments (log_inprogress_N, log_N-M)
 * DIR/raft/&lt;group-uuid&gt;/sm/           snapshots: snapshot.&lt;term&gt;_&lt;index&gt; and .md5
 * </pre>
 */
public final class DataDirIdentity {
    public static final String FILE_NAME = "memledger-replica.properties";
    static final String FORMAT = "1";

    private DataDirIdentity() {
    }

    /** Where Ratis keeps its storage inside a data dir. */
    public static Path raftDir(Path dataDir) {
        return dataDir.resolve("raft");
    }

    /**
     * Creates the data dir and its identity file on first start, or checks that an existing file
     * names the same cluster, group, replica and peers. Throws {@link ReplicaStartException} with a
     * one-line explanation otherwise.
     */
    public static void checkOrCreate(Path dataDir, ClusterIdentity identity) throws ReplicaStartException {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (Files.exists(file)) {
                check(dataDir, read(file), identity);
                return;
            }
            Files.createDirectories(dataDir);
            if (Files.exists(raftDir(dataDir)) && hasEntries(raftDir(dataDir))) {
                throw new ReplicaStartException("data dir " + dataDir + " holds Raft storage but no " + FILE_NAME
                        + "; it was not created by this version of memledger: use an empty --data-dir");
            }
            write(file, identity);
        } catch (ReplicaStartException e) {
            throw e;
        } catch (IOException e) {
            throw new ReplicaStartException("cannot use data dir " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static void check(Path dataDir, Properties stored, ClusterIdentity identity) throws ReplicaStartException {
        String storedCluster = stored.getProperty("cluster-name");
        String storedGroup = stored.getProperty("group-id");
        if (!FORMAT.equals(stored.getProperty("format"))) {
            throw new ReplicaStartException("data dir " + dataDir + ": " + FILE_NAME + " has unknown format '"
                    + stored.getProperty("format") + "'");
        }
        if (!identity.clusterName().equals(storedCluster)
                || !identity.groupId().getUuid().toString().equals(storedGroup)) {
            throw new ReplicaStartException("data dir " + dataDir + " belongs to cluster '" + storedCluster
                    + "' (group " + storedGroup + "), not '" + identity.clusterName() + "' (group "
                    + identity.groupId().getUuid() + "); use another --data-dir or --cluster-name " + storedCluster);
        }
        if (!identity.replicaId().equals(stored.getProperty("replica-id"))) {
            throw new ReplicaStartException("data dir " + dataDir + " belongs to replica '"
                    + stored.getProperty("replica-id") + "', not '" + identity.replicaId()
                    + "'; each replica needs its own --data-dir");
        }
        if (!identity.peers().toString().equals(stored.getProperty("peers"))) {
            throw new ReplicaStartException("data dir " + dataDir + " was created with --peers "
                    + stored.getProperty("peers") + " but this start has --peers " + identity.peers()
                    + "; membership changes are a Raft reconfiguration, not a flag change");
        }
    }

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
        return properties;
    }

    private static void write(Path file, ClusterIdentity identity) throws IOException {
        String text = "# memledger replica identity: checked on every start; do not edit\n"
                + "format=" + FORMAT + "\n"
                + "cluster-name=" + identity.clusterName() + "\n"
                + "group-id=" + identity.groupId().getUuid() + "\n"
                + "replica-id=" + identity.replicaId() + "\n"
                + "peers=" + identity.peers() + "\n";
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        Files.writeString(tmp, text, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean hasEntries(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isPresent();
        }
    }
}
