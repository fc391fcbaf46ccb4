// 灾情随手拍: a description, photos (scaled down on the phone) and, only if the person
// agrees, the phone's location; one multipart POST /disaster-tips with its Idempotency-Key,
// kept for a retry until it has gone through.
document.addEventListener('alpine:init', () => {
  const api = window.portalApi;

  Alpine.data('tip', () => ({
    description: '',
    photos: [],
    lat: null,
    lon: null,
    placeText: '',
    errors: {},
    message: '',
    sending: false,
    sent: false,
    percent: 0,
    key: null,
    get editing() { return !this.sent; },
    get photoText() { return this.photos.length ? '已选 ' + this.photos.length + ' 张照片' : ''; },
    get barStyle() { return { width: this.percent + '%' }; },
    async init() { await api.requireMe(); },
    async takePhotos(event) {
      const files = Array.from(event.target.files);
      this.photos = await Promise.all(files.map((file) => window.portalPhotos.scaleDown(file)));
      this.key = null;
    },
    locate() {
      if (!navigator.geolocation) { this.placeText = '此手机无法获取位置,可在描述中写明地点。'; return; }
      this.placeText = '正在获取位置…';
      navigator.geolocation.getCurrentPosition((position) => {
        this.lat = position.coords.latitude.toFixed(6);
        this.lon = position.coords.longitude.toFixed(6);
        this.placeText = '已附上位置(' + this.lat + ',' + this.lon + ')';
      }, () => { this.placeText = '未获取位置,可在描述中写明地点。'; }, { timeout: 10000 });
    },
    async send() {
      this.errors = {};
      this.message = '';
      this.sending = true;
      this.key = this.key || api.newKey();
      const form = new FormData();
      form.append('description', this.description.trim());
      if (this.lat !== null) { form.append('lat', this.lat); form.append('lon', this.lon); }
      this.photos.forEach((photo, index) => form.append('photos', photo, 'photo-' + (index + 1) + '.jpg'));
      try {
        await api.upload('/disaster-tips', form, this.key, (fraction) => { this.percent = Math.round(fraction * 100); });
        this.sent = true;
      } catch (error) {
        this.errors = api.fieldErrors(error);
        this.message = error.message + (error.code === 'network_error' ? ',请稍后点“发送”重试' : '');
      } finally {
        this.sending = false;
      }
    },
  }));
});
