// Reading a check-in QR code with the PC's camera (jsQR on video frames); stops itself.
(function () {
  let stream = null;

  function stop() {
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
  }

  // scan(video) → the text of the first QR code seen; rejects when there is no camera.
  async function scan(video) {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw { code: 'no_camera', message: '此电脑没有可用的摄像头,请输入签到码' };
    }
    try {
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' } });
    } catch (error) {
      throw { code: 'no_camera', message: '无法打开摄像头,请检查授权或输入签到码' };
    }
    video.srcObject = stream;
    video.hidden = false;
    await video.play();
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });
    return new Promise((resolve) => {
      function look() {
        if (!stream) return; // stopped from outside
        if (video.videoWidth) {
          canvas.width = video.videoWidth;
          canvas.height = video.videoHeight;
          context.drawImage(video, 0, 0);
          const frame = context.getImageData(0, 0, canvas.width, canvas.height);
          const found = window.jsQR(frame.data, frame.width, frame.height);
          if (found && found.data) {
            stop();
            video.hidden = true;
            resolve(found.data.trim());
            return;
          }
        }
        requestAnimationFrame(look);
      }
      look();
    });
  }

  window.staffScanner = { scan, stop };
})();
