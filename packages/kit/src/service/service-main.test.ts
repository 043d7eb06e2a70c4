import { afterEach, describe, expect, it, vi } from "vitest";
import { CONFIG_ERROR_EXIT_CODE, ConfigError } from "../config/index.ts";
import type { BackgroundTask } from "./background-task.ts";
import { serviceMain } from "./service-main.ts";
import { FIXTURE_SERVICE_NAME } from "./testing/fixture-app.ts";
import { fixtureConfig, stopWhenFinished } from "./testing/service-test-kit.test-support.ts";

/** A task that notes when it starts and stops, to see the order the service keeps. */
function recordingTask(name: string, events: string[]): BackgroundTask {
  return {
    name,
    start: () => {
      events.push(`start ${name}`);
    },
    stop: async () => {
      events.push(`stop ${name}`);
    },
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("serviceMain", () => {
  it("when run, then the service serves, titled after its name, with compose's tasks before the app's", async () => {
    const events: string[] = [];
    const main = serviceMain({
      loadConfig: () => fixtureConfig(),
      apiDescription: "A fixture.",
      compose(service) {
        service.addBackground(recordingTask("connection", events));
        return { tasks: [recordingTask("app", events)] };
      },
    });

    const service = await main();
    const openapi = (await (
      await fetch(`http://127.0.0.1:${service.addresses.httpPort}/openapi.json`)
    ).json()) as {
      info: { title: string; description: string };
    };
    await service.stop("test finished");

    expect(openapi.info).toMatchObject({
      title: `Orderly ${FIXTURE_SERVICE_NAME} service`,
      description: "A fixture.",
    });
    // Started in the order added, stopped in reverse: the connection outlives the app's task.
    expect(events).toEqual(["start connection", "start app", "stop app", "stop connection"]);
  });

  it("when the config is invalid, then it exits 78 naming the variable, before compose runs", async () => {
    const compose = vi.fn(() => ({ tasks: [] }));
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const exit = vi.spyOn(process, "exit").mockImplementation((code) => {
      throw new Error(`exit ${code}`);
    });
    const main = serviceMain({
      loadConfig: () => {
        throw new ConfigError([{ variable: "HTTP_PORT", expected: "a port" }]);
      },
      apiDescription: "A fixture.",
      compose,
    });

    await expect(main()).rejects.toThrow(`exit ${CONFIG_ERROR_EXIT_CODE}`);
    expect(exit).toHaveBeenCalledWith(CONFIG_ERROR_EXIT_CODE);
    expect(process.stderr.write).toHaveBeenCalledWith("invalid configuration: HTTP_PORT: a port\n");
    expect(compose).not.toHaveBeenCalled();
  });

  it("when asked to handle signals, then they are handled already while the service starts", async () => {
    const listenersBefore = process.listenerCount("SIGTERM");
    const sigintBefore = process.listenerCount("SIGINT");
    let listenersWhileStarting = -1;
    const main = serviceMain({
      loadConfig: () => fixtureConfig(),
      apiDescription: "A fixture.",
      compose: () => ({
        tasks: [
          {
            name: "watcher",
            start: () => {
              listenersWhileStarting = process.listenerCount("SIGTERM");
            },
            stop: async () => {},
          },
        ],
      }),
    });

    stopWhenFinished(await main(undefined, { handleSignals: true }));
    for (const listener of process.listeners("SIGTERM").slice(listenersBefore))
      process.off("SIGTERM", listener);
    for (const listener of process.listeners("SIGINT").slice(sigintBefore)) process.off("SIGINT", listener);

    expect(listenersWhileStarting).toBe(listenersBefore + 1);
  });
});
