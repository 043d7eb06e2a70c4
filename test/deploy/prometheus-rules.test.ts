/**
 * The alert rules compose's Prometheus loads: prometheus.yml names them under rule_files, compose
 * mounts them where that path points, and — when promtool is installed — `promtool check rules`
 * accepts the file and `promtool test rules` passes its unit tests (firing and quiet cases per alert).
 * Without promtool those two are skipped (reported as skipped, not passed); CI installs it.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { asArray, asRecord, dig, readYaml, repoPath } from "./support/repo.ts";

const RULES_DIR = "deploy/compose/prometheus/rules";
const RULES = `${RULES_DIR}/orderly-alerts.yml`;
const RULE_TESTS = `${RULES_DIR}/orderly-alerts.test.yml`;
const MOUNTED_AT = "/etc/prometheus/rules";

const promtool = spawnSync("promtool", ["--version"], { encoding: "utf8" }).status === 0;

function run(args: string[]): string {
  return execFileSync("promtool", args, { cwd: repoPath(RULES_DIR), encoding: "utf8", stdio: "pipe" });
}

const config = asRecord(readYaml("deploy/compose/prometheus/prometheus.yml"), "prometheus.yml");
const rules = asRecord(readYaml(RULES), RULES);
const alerts = asArray(rules.groups, "groups").flatMap((group) =>
  asArray(dig(group, "rules"), "rules").map((rule) => asRecord(rule, "rule")),
);

describe("Prometheus alert rules", () => {
  it("when compose's Prometheus starts, then rule_files names the mounted rule file", () => {
    const ruleFiles = asArray(config.rule_files, "rule_files");
    const volumes = asArray(
      dig(readYaml("docker-compose.yml"), "services", "prometheus", "volumes"),
      "volumes",
    );

    expect(ruleFiles).toContain(`${MOUNTED_AT}/orderly-alerts.yml`);
    expect(volumes).toContain(`./${RULES_DIR}:${MOUNTED_AT}:ro`);
    expect(existsSync(repoPath(RULES))).toBe(true);
  });

  it("when an operator reads the rules, then error ratio, p99 latency, sagas, outbox age, consumer lag and service down each alert", () => {
    expect(alerts.map((rule) => rule.alert)).toEqual([
      "OrderlyHttpErrorRatioHigh",
      "OrderlyGrpcErrorRatioHigh",
      "OrderlyHttpLatencyP99High",
      "OrderlyGrpcLatencyP99High",
      "OrderlySagasPendingHigh",
      "OrderlyOutboxBacklogOld",
      "OrderlyConsumerLagHigh",
      "OrderlyInstanceDown",
      "OrderlyServiceDown",
    ]);
    for (const rule of alerts) {
      expect(dig(rule, "labels", "severity"), String(rule.alert)).toMatch(/^(page|ticket)$/);
      expect(dig(rule, "annotations", "summary"), String(rule.alert)).toEqual(expect.any(String));
    }
  });

  it("when the rules query service metrics, then they use orderly_ names and the semantic-convention HTTP labels", () => {
    const exprs = alerts.map((rule) => String(rule.expr)).join("\n");
    const metrics = [...exprs.matchAll(/\b([a-z_]+)(?=\{|\[|\))/g)]
      .map((m) => m[1] as string)
      .filter((name) => /_(total|seconds|count|bucket|pending|messages)$/.test(name));

    expect(metrics.length).toBeGreaterThan(0);
    expect(metrics.filter((name) => !name.startsWith("orderly_"))).toEqual([]);
    expect(exprs).toContain("http_response_status_code");
    expect(exprs).not.toMatch(/\b(status_code|method|route)\b(?!_)/);
  });

  it.skipIf(!promtool)("when `promtool check rules` reads the file, then it accepts every rule", () => {
    expect(run(["check", "rules", "orderly-alerts.yml"])).toContain("SUCCESS: 9 rules found");
  });

  it.skipIf(!promtool)("when `promtool test rules` runs the unit tests, then every case passes", () => {
    expect(run(["test", "rules", "orderly-alerts.test.yml"])).toContain("SUCCESS");
    expect(existsSync(repoPath(RULE_TESTS))).toBe(true);
  });
});
