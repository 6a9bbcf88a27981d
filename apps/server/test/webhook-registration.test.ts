/**
 * Registration refuses webhook URLs that could never be delivered under the outbound policy —
 * plain http outside development, literal private, loopback and metadata addresses, local names —
 * with a typed BAD_REQUEST on `url`, and stores nothing; a public https URL registers.
 */
import { createClient, isApiError } from "@deltacrown/client";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { describe, expect, it } from "vitest";
import { startTestPlatform } from "./platform.support.ts";

installOpenHandleCheck();

describe("webhook registration", () => {
  const services = useTestServices();

  it("refuses private, literal-IP and non-https URLs with BAD_REQUEST on url; accepts a public https one", async () => {
    const p = await startTestPlatform(services);
    try {
      const { token } = await createClient({ url: p.url }).identity.signUp.mutate({
        username: "hookorg",
        email: "hookorg@dc.gg",
        password: "long-enough-pw",
      });
      const dc = createClient({ url: p.url, token });
      const org = await dc.orgs.create.mutate({ name: "Hook Org" });
      const register = (url: string) =>
        dc.webhooks.register.mutate({ organizationSlug: org.slug, url, eventTypes: ["match.completed"] });
      for (const url of [
        "http://hooks.example.com/in",
        "https://127.0.0.1/in",
        "https://10.0.0.8/in",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/in",
        "https://[fd00:ec2::254]/in",
        "https://localhost/in",
      ]) {
        const error = await register(url).catch((e: unknown) => e);
        expect(isApiError(error) && error.data, url).toMatchObject({
          code: "BAD_REQUEST",
          reason: "WEBHOOK_URL_REFUSED",
          fieldErrors: { url: [expect.any(String)] },
        });
      }
      expect(await services.db.selectFrom("webhook_endpoints").selectAll().execute()).toEqual([]);
      await expect(register("https://hooks.example.com/in")).resolves.toMatchObject({
        url: "https://hooks.example.com/in",
      });
    } finally {
      await p.close();
    }
  });
});
