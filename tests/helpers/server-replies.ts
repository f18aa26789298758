/**
 * Replies recorded from real servers (INFO server trimmed to its first lines; COMMAND INFO
 * xautoclaim xackdel whole), for the feature-detection unit tests.
 */
export interface RecordedServer {
  info: string;
  commandInfo: unknown;
}

const info = (lines: string[]) => [...lines, ""].join("\r\n");

/** 7.0.15 (Debian). */
export const redis70: RecordedServer = {
  info: info(["# Server", "redis_version:7.0.15", "redis_mode:standalone"]),
  commandInfo: [
    [
      "xautoclaim",
      -6,
      ["write", "fast"],
      1,
      1,
      1,
      ["@write", "@stream", "@fast"],
      ["nondeterministic_output"],
      [
        [
          "flags",
          ["RW", "delete"],
          "begin_search",
          ["type", "index", "spec", ["index", 1]],
          "find_keys",
          ["type", "range", "spec", ["lastkey", 0, "keystep", 1, "limit", 0]],
        ],
      ],
      [],
    ],
    null,
  ],
};

/** 7.2.6 (redis-7.2). */
export const redis72: RecordedServer = {
  info: info(["# Server", "redis_version:7.2.6", "redis_mode:standalone"]),
  commandInfo: [
    [
      "xautoclaim",
      -6,
      ["write", "fast"],
      1,
      1,
      1,
      ["@write", "@stream", "@fast"],
      ["nondeterministic_output"],
      [
        [
          "flags",
          ["RW", "delete"],
          "begin_search",
          ["type", "index", "spec", ["index", 1]],
          "find_keys",
          ["type", "range", "spec", ["lastkey", 0, "keystep", 1, "limit", 0]],
        ],
      ],
      [],
    ],
    null,
  ],
};

/** 7.4.1 (redis-7.4). */
export const redis74: RecordedServer = {
  info: info(["# Server", "redis_version:7.4.1", "redis_mode:standalone"]),
  commandInfo: [
    [
      "xautoclaim",
      -6,
      ["write", "fast"],
      1,
      1,
      1,
      ["@write", "@stream", "@fast"],
      ["nondeterministic_output"],
      [
        [
          "flags",
          ["RW", "delete"],
          "begin_search",
          ["type", "index", "spec", ["index", 1]],
          "find_keys",
          ["type", "range", "spec", ["lastkey", 0, "keystep", 1, "limit", 0]],
        ],
      ],
      [],
    ],
    null,
  ],
};

/** 7.9.224 (redis-8.0). */
export const redis80preview: RecordedServer = {
  info: info(["# Server", "redis_version:7.9.224", "redis_mode:standalone"]),
  commandInfo: [
    [
      "xautoclaim",
      -6,
      ["write", "fast"],
      1,
      1,
      1,
      ["@write", "@stream", "@fast"],
      ["nondeterministic_output"],
      [
        [
          "flags",
          ["RW", "delete"],
          "begin_search",
          ["type", "index", "spec", ["index", 1]],
          "find_keys",
          ["type", "range", "spec", ["lastkey", 0, "keystep", 1, "limit", 0]],
        ],
      ],
      [],
    ],
    null,
  ],
};

/** Valkey 8.0.1 (valkey-8.0). */
export const valkey80: RecordedServer = {
  info: info([
    "# Server",
    "redis_version:7.2.4",
    "server_name:valkey",
    "valkey_version:8.0.1",
    "server_mode:standalone",
  ]),
  commandInfo: [
    [
      "xautoclaim",
      -6,
      ["write", "fast"],
      1,
      1,
      1,
      ["@write", "@stream", "@fast"],
      ["nondeterministic_output"],
      [
        [
          "flags",
          ["RW", "delete"],
          "begin_search",
          ["type", "index", "spec", ["index", 1]],
          "find_keys",
          ["type", "range", "spec", ["lastkey", 0, "keystep", 1, "limit", 0]],
        ],
      ],
      [],
    ],
    null,
  ],
};
/*
 * No build of these is available on this machine: the replies below follow the command table of
 * those releases (an XACKDEL entry shaped like XAUTOCLAIM's; the 7-element entry of Redis 6.x).
 */
const xautoclaim70 = (redis70.commandInfo as unknown[])[0];
const xackdel = [
  "xackdel",
  -6,
  ["write", "fast"],
  1,
  1,
  1,
  ["@write", "@stream", "@fast"],
  [],
  [
    [
      "flags",
      ["RW", "delete"],
      "begin_search",
      ["type", "index", "spec", ["index", 1]],
      "find_keys",
      ["type", "range", "spec", ["lastkey", 0, "keystep", 1, "limit", 0]],
    ],
  ],
  [],
];

/** Redis 8.2: XACKDEL present. */
export const redis82: RecordedServer = {
  info: info(["# Server", "redis_version:8.2.1", "redis_mode:standalone"]),
  commandInfo: [xautoclaim70, xackdel],
};

/** A development build of the unstable branch: reports 255.255.255. */
export const redisDev: RecordedServer = {
  info: info(["# Server", "redis_version:255.255.255", "redis_mode:standalone"]),
  commandInfo: [xautoclaim70, xackdel],
};

/** Redis 6.2: XAUTOCLAIM exists, COMMAND INFO answers the 6.x 7-element entry. */
export const redis62: RecordedServer = {
  info: info(["# Server", "redis_version:6.2.14", "redis_mode:standalone"]),
  commandInfo: [["xautoclaim", -6, ["write", "random", "fast"], 1, 1, 1, ["@write", "@stream", "@fast"]], null],
};

/** Redis 6.0: no XAUTOCLAIM. */
export const redis60: RecordedServer = {
  info: info(["# Server", "redis_version:6.0.16", "redis_mode:standalone"]),
  commandInfo: [null, null],
};
