package org.memledger.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.memledger.coordinator.raft.ClusterIdentity;
import org.memledger.coordinator.raft.DataDirIdentity;
import org.memledger.coordinator.raft.PeerList;

import picocli.CommandLine;

class CoordinatorCommandTest {
    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(CoordinatorCommand command, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private int run(String... args) {
        return run(new CoordinatorCommand(), args);
    }

    private String oneLineError() {
        String text = err.toString().strip();
        assertThat(text.lines()).as("stderr: %s", text).hasSize(1);
        assertThat(text).doesNotContain("Exception").doesNotContain("\tat ");
        return text;
    }

    @Test
    void aMalformedPeerListIsOneLine() {
        assertThat(run("--data-dir", dir.toString(), "--peers", "n1=127.0.0.1")).isEqualTo(2);
        assertThat(oneLineError()).startsWith("memledger coordinator: --peers:").contains("has no host:port");
    }

    @Test
    void anIdThatIsNotAPeerIsOneLine() {
        assertThat(run("--data-dir", dir.toString(), "--id", "n4", "--peers", "n1=127.0.0.1:1,n2=127.0.0.1:2"))
                .isEqualTo(2);
        assertThat(oneLineError()).contains("--id: replica id 'n4' is not in the peer list");
    }

    @Test
    void aDataDirOfAnotherGroupIsOneLine() throws Exception {
        int port = freePort();
        PeerList peers = PeerList.parse("n1=127.0.0.1:" + port);
        DataDirIdentity.checkOrCreate(dir, ClusterIdentity.of("blue", "n1", peers));
        assertThat(run("--data-dir", dir.toString(), "--peers", peers.toString(), "--cluster-name", "green"))
                .isEqualTo(1);
        assertThat(oneLineError()).contains("belongs to cluster 'blue'");
    }

    @Test
    void aPortInUseIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            assertThat(run("--data-dir", dir.toString(), "--peers", "n1=127.0.0.1:" + taken.getLocalPort()))
                    .isEqualTo(1);
            assertThat(oneLineError()).contains("port " + taken.getLocalPort()).contains("already in use");
        }
    }

    @Test
    void aSingleReplicaNeedsOnlyADataDirAndStopsGracefully() throws Exception {
        CountDownLatch stop = new CountDownLatch(1);
        CoordinatorCommand command = new CoordinatorCommand(stop);
        int port = freePort();
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() ->
                run(command, "--data-dir", dir.resolve("data").toString(), "--peers", "n1=127.0.0.1:" + port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!out.toString().contains("replica n1") && !exit.isDone() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10)); // poll interval
        }
        assertThat(out.toString()).contains("replica n1 of cluster 'memledger'");
        stop.countDown();
        assertThat(exit.get(30, TimeUnit.SECONDS)).isZero();
        assertThat(dir.resolve("data").resolve(DataDirIdentity.FILE_NAME)).exists();
        assertThat(err.toString()).isEmpty();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return socket.getLocalPort();
        }
    }
}
