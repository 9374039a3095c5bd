package org.memledger.coordinator.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerListTest {
    @TempDir
    Path dir;

    @Test
    void parsesAndPrintsTheFlagForm() {
        PeerList peers = PeerList.parse("n1=127.0.0.1:7071, n2=node-2.example:7072,n3=[fd00::3]:7073");
        assertThat(peers.peers()).containsExactly(new Peer("n1", "127.0.0.1", 7071),
                new Peer("n2", "node-2.example", 7072), new Peer("n3", "fd00::3", 7073));
        assertThat(PeerList.parse(peers.toString())).isEqualTo(peers);
        assertThat(peers.find("n3").orElseThrow().address()).isEqualTo("[fd00::3]:7073");
    }

    @Test
    void malformedListsAreOneLineErrorsNamingTheItem() {
        assertThatThrownBy(() -> PeerList.parse("")).hasMessageContaining("peer list is empty");
        assertThatThrownBy(() -> PeerList.parse("n1=127.0.0.1:7071,,n2=h:1")).hasMessageContaining("empty item");
        assertThatThrownBy(() -> PeerList.parse("127.0.0.1:7071")).hasMessageContaining("'127.0.0.1:7071' has no id");
        assertThatThrownBy(() -> PeerList.parse("n1=127.0.0.1")).hasMessageContaining("has no host:port");
        assertThatThrownBy(() -> PeerList.parse("n1=h:port")).hasMessageContaining("non-numeric port");
        assertThatThrownBy(() -> PeerList.parse("n1=h:70000")).hasMessageContaining("port must be 1 to 65535");
        assertThatThrownBy(() -> PeerList.parse("n 1=h:1")).hasMessageContaining("may only contain");
        assertThatThrownBy(() -> PeerList.parse("n1=h:1,n1=g:2")).hasMessageContaining("'n1' appears twice");
        assertThatThrownBy(() -> PeerList.parse("n1=h:1,n2=h:1")).hasMessageContaining("h:1 appears twice");
        assertThatThrownBy(() -> PeerList.parse("n1=fd00::1:7071")).hasMessageContaining("brackets");
    }

    @Test
    void theReplicaIdMustBeAPeerAndTheGroupIdFollowsTheClusterName() {
        PeerList peers = PeerList.parse("n1=127.0.0.1:7071,n2=127.0.0.1:7072");
        assertThatThrownBy(() -> ClusterIdentity.of("memledger", "n3", peers))
                .hasMessageContaining("replica id 'n3' is not in the peer list");
        assertThat(ClusterIdentity.groupIdOf("memledger")).isEqualTo(ClusterIdentity.groupIdOf("memledger"));
        assertThat(ClusterIdentity.groupIdOf("memledger")).isNotEqualTo(ClusterIdentity.groupIdOf("other"));
    }

    @Test
    void aDataDirRemembersItsClusterReplicaAndPeers() throws Exception {
        PeerList peers = PeerList.parse("n1=127.0.0.1:7071,n2=127.0.0.1:7072");
        Path data = dir.resolve("data");
        DataDirIdentity.checkOrCreate(data, ClusterIdentity.of("memledger", "n1", peers));
        assertThat(Files.readString(data.resolve(DataDirIdentity.FILE_NAME))).contains("replica-id=n1");
        DataDirIdentity.checkOrCreate(data, ClusterIdentity.of("memledger", "n1", peers));

        assertThatThrownBy(() -> DataDirIdentity.checkOrCreate(data, ClusterIdentity.of("other", "n1", peers)))
                .isInstanceOf(ReplicaStartException.class).hasMessageContaining("belongs to cluster 'memledger'");
        assertThatThrownBy(() -> DataDirIdentity.checkOrCreate(data, ClusterIdentity.of("memledger", "n2", peers)))
                .isInstanceOf(ReplicaStartException.class).hasMessageContaining("belongs to replica 'n1'");
        PeerList grown = PeerList.parse("n1=127.0.0.1:7071,n2=127.0.0.1:7072,n3=127.0.0.1:7073");
        assertThatThrownBy(() -> DataDirIdentity.checkOrCreate(data, ClusterIdentity.of("memledger", "n1", grown)))
                .isInstanceOf(ReplicaStartException.class).hasMessageContaining("was created with --peers");
    }
}
