// Photos are scaled down on the phone before they are kept or sent: a 12-megapixel shot
// becomes a ~300 KB JPEG, which a 3G link can carry and the review still reads.
(function () {
  const LONG_SIDE = 1600;
  const QUALITY = 0.85;

  async function scaleDown(file) {
    if (!file.type.startsWith('image/')) return file;
    const bitmap = await createImageBitmap(file);
    const ratio = Math.min(1, LONG_SIDE / Math.max(bitmap.width, bitmap.height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(bitmap.width * ratio);
    canvas.height = Math.round(bitmap.height * ratio);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
  }

  window.portalPhotos = { scaleDown };
})();
