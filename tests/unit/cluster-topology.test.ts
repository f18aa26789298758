import { afterEach, describe, expect, it } from "vitest";
import { getEnv } from "@/lib/env";
import { parseClusterNodes, parseClusterShards, parseReplication } from "@/lib/redis/topology";
import { resetProcessState } from "@/lib/runtime/state";

describe("cluster topology replies", () => {
  it("CLUSTER NODES: address without the bus port, role, slot ranges (single slots and migrating marks)", () => {
    const text = [
      "07c3 127.0.0.1:30004@40004 slave e7d1 0 1426238317239 4 connected",
      "e7d1 127.0.0.1:30001@40001,host1 myself,master - 0 0 1 connected 0-5460 6000 [5461->-292f]",
      "292f 127.0.0.1:30002@40002 master,fail - 1426238316232 1426238314000 2 disconnected 5461-10922",
      "",
    ].join("\n");
    expect(parseClusterNodes(text)).toEqual([
      { id: "07c3", address: "127.0.0.1:30004", role: "replica", slots: [], reachable: true },
      {
        id: "e7d1",
        address: "127.0.0.1:30001",
        role: "master",
        slots: [
          [0, 5460],
          [6000, 6000],
        ],
        reachable: true,
      },
      { id: "292f", address: "127.0.0.1:30002", role: "master", slots: [[5461, 10922]], reachable: false },
    ]);
  });

  it("CLUSTER SHARDS (RESP2 flat maps): the shard's slots go to its master only", () => {
    const reply = [
      [
        "slots",
        [0, 5460, 6000, 6000],
        "nodes",
        [
          ["id", "a", "port", 30001, "ip", "127.0.0.1", "role", "master", "health", "online"],
          ["id", "b", "port", 30004, "ip", "127.0.0.1", "role", "replica", "health", "failed"],
        ],
      ],
    ];
    expect(parseClusterShards(reply)).toEqual([
      {
        id: "a",
        address: "127.0.0.1:30001",
        role: "master",
        slots: [
          [0, 5460],
          [6000, 6000],
        ],
        reachable: true,
      },
      { id: "b", address: "127.0.0.1:30004", role: "replica", slots: [], reachable: false },
    ]);
  });
});

describe("REDIS_CLUSTER_NODES", () => {
  const before = process.env.REDIS_CLUSTER_NODES;
  afterEach(() => {
    if (before === undefined) delete process.env.REDIS_CLUSTER_NODES;
    else process.env.REDIS_CLUSTER_NODES = before;
    resetProcessState();
  });

  it("is a comma-separated host:port list (IPv6 in brackets), empty by default", () => {
    delete process.env.REDIS_CLUSTER_NODES;
    resetProcessState();
    expect(getEnv().REDIS_CLUSTER_NODES).toEqual([]);
    process.env.REDIS_CLUSTER_NODES = "10.0.0.2:7001, redis-b.internal:7002,[::1]:7003";
    resetProcessState();
    expect(getEnv().REDIS_CLUSTER_NODES).toEqual([
      { host: "10.0.0.2", port: 7001 },
      { host: "redis-b.internal", port: 7002 },
      { host: "::1", port: 7003 },
    ]);
  });

  it("refuses an entry without a port, or with one out of range", () => {
    for (const bad of ["10.0.0.2", "host:0", "host:70000", "a:1,b"]) {
      process.env.REDIS_CLUSTER_NODES = bad;
      resetProcessState();
      expect(() => getEnv()).toThrow(/REDIS_CLUSTER_NODES: .* is not host:port/);
    }
  });
});

describe("replica staleness from INFO replication", () => {
  it("each replica's unacknowledged bytes (master offset minus its offset) and seconds since its last ack", () => {
    const text = [
      "# Replication",
      "role:master",
      "connected_slaves:2",
      "slave0:ip=10.0.0.2,port=6380,state=online,offset=1000,lag=0",
      "slave1:ip=10.0.0.3,port=6381,state=wait_bgsave,offset=0,lag=3",
      "master_failover_state:no-failover",
      "master_repl_offset:1250",
      "",
    ].join("\r\n");
    expect(parseReplication(text, "10.0.0.1:6379")).toEqual([
      { address: "10.0.0.2:6380", master: "10.0.0.1:6379", state: "online", lagBytes: 250, lagSeconds: 0 },
      { address: "10.0.0.3:6381", master: "10.0.0.1:6379", state: "wait_bgsave", lagBytes: 1250, lagSeconds: 3 },
    ]);
    expect(parseReplication("role:master\r\nconnected_slaves:0\r\nmaster_repl_offset:9\r\n", "m:1")).toEqual([]);
  });
});
