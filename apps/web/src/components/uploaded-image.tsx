import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "../lib/trpc.ts";

/**
 * An image the API names only by its upload id (post images, sponsor logos). The API hands out
 * their URLs only to the uploader (`uploads.byId`), so `readable` says when asking is worth a
 * call; anyone else sees a labelled placeholder until the API returns the URLs with the post or
 * sponsor (noted as an API gap in the README's web section).
 */
export function UploadedImage({ uploadId, alt, readable }: { uploadId: string; alt: string; readable: boolean }) {
  const trpc = useTRPC();
  const upload = useQuery({
    ...trpc.uploads.byId.queryOptions({ uploadId }),
    enabled: readable,
    staleTime: Infinity,
    retry: false,
  });
  if (upload.data)
    return (
      <a href={upload.data.url} target="_blank" rel="noreferrer">
        <img
          src={upload.data.thumbnailUrl}
          alt={alt}
          width={upload.data.width}
          height={upload.data.height}
          loading="lazy"
          className="uploaded"
        />
      </a>
    );
  return (
    <span className="image-placeholder" role="img" aria-label={alt}>
      Image
    </span>
  );
}
