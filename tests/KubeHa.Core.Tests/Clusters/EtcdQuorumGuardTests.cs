using KubeHa.Core.Clusters.Membership;

namespace KubeHa.Core.Tests.Clusters;

public sealed class EtcdQuorumGuardTests
{
    [Fact]
    public void CheckRemoval_ThreeToTwo_EvenCountWithTheArithmetic()
    {
        var check = EtcdQuorumGuard.CheckRemoval("node2", 3, isMember: true);

        Assert.Equal(QuorumVerdict.EvenCount, check.Verdict);
        Assert.StartsWith("removing node2 leaves 2 etcd members: a 2-member cluster needs 2 for quorum and tolerates no failure; no more than 1 etcd member would, while 3 etcd members need 2 and tolerate 1 failure", check.Reason, StringComparison.Ordinal);
        Assert.Contains("Admin", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckRemoval_TwoToOne_LosesQuorumWhileItLeaves()
    {
        var check = EtcdQuorumGuard.CheckRemoval("node2", 2, isMember: true);

        Assert.Equal(QuorumVerdict.LosesQuorum, check.Verdict);
        Assert.Contains("a 2-member cluster needs 2 for quorum and only 1 would answer", check.Reason, StringComparison.Ordinal);
        Assert.Contains("3 etcd members need 2 and tolerate 1 failure", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckRemoval_LastMember_LosesQuorum()
    {
        var check = EtcdQuorumGuard.CheckRemoval("node1", 1, isMember: true);

        Assert.Equal(QuorumVerdict.LosesQuorum, check.Verdict);
        Assert.Contains("leaves no etcd member", check.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckRemoval_FiveToFour_EvenCount()
    {
        var check = EtcdQuorumGuard.CheckRemoval("node5", 5, isMember: true);

        Assert.Equal(QuorumVerdict.EvenCount, check.Verdict);
        Assert.StartsWith("removing node5 leaves 4 etcd members: a 4-member cluster needs 3 for quorum and tolerates 1 failure; no more than 3 etcd members would, while 5 etcd members need 3 and tolerate 2 failures", check.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4)] // 4 -> 3: odd again
    [InlineData(6)]
    public void CheckRemoval_EvenToOdd_Safe(int members)
    {
        Assert.Equal(new QuorumCheck(QuorumVerdict.Safe, null), EtcdQuorumGuard.CheckRemoval("node4", members, isMember: true));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void CheckRemoval_NotAnEtcdMember_Safe(int members)
    {
        Assert.Equal(QuorumVerdict.Safe, EtcdQuorumGuard.CheckRemoval("worker1", members, isMember: false).Verdict);
    }

    [Theory]
    [InlineData(1, 1, 0)]
    [InlineData(2, 2, 0)]
    [InlineData(3, 2, 1)]
    [InlineData(4, 3, 1)]
    [InlineData(5, 3, 2)]
    public void Quorum_Members_MajorityAndTolerance(int members, int quorum, int tolerates)
    {
        Assert.Equal(quorum, EtcdQuorumGuard.Quorum(members));
        Assert.Equal(tolerates, EtcdQuorumGuard.Tolerates(members));
    }
}
