/** An image as the API returns it with a post or a sponsor: public URLs (GET /media/…) and its size. */
export interface ImageRef {
  url: string;
  thumbnailUrl: string;
  width: number;
  height: number;
}

/** An uploaded image (post images, sponsor logos): the thumbnail, linking to the full image. */
export function UploadedImage({ image, alt }: { image: ImageRef; alt: string }) {
  return (
    <a href={image.url} target="_blank" rel="noreferrer">
      <img
        src={image.thumbnailUrl}
        alt={alt}
        width={image.width}
        height={image.height}
        loading="lazy"
        className="uploaded"
      />
    </a>
  );
}
