// 我的消息: the account's notifications, newest first; opening one marks it read.
document.addEventListener('alpine:init', () => {
  const api = window.portalApi;

  function view(item) {
    const data = item.data || {};
    let href = '#';
    if (data.application_id) href = '/cases/' + data.application_id;
    else if (data.appointment_id) href = '/appointments/' + data.appointment_id;
    return {
      id: item.id, title: item.title, body: item.body, href, read: item.read,
      css: item.read ? 'read' : 'unread',
      state: item.read ? '已读' : '未读',
      at: new Date(item.created_at).toLocaleString('zh-CN', { hour12: false }),
    };
  }

  Alpine.data('inbox', () => ({
    items: [],
    cursor: null,
    loaded: false,
    message: '',
    get hasItems() { return this.items.length > 0; },
    get empty() { return this.loaded && this.items.length === 0; },
    get hasUnread() { return this.items.some((item) => !item.read); },
    get more() { return Boolean(this.cursor); },
    async init() {
      if (!(await api.requireMe())) return;
      await this.loadMore();
      this.loaded = true;
    },
    async loadMore() {
      try {
        const page = await api.get('/me/inbox?limit=20' + (this.cursor ? '&cursor=' + encodeURIComponent(this.cursor) : ''));
        this.items = this.items.concat(page.items.map(view));
        this.cursor = page.next_cursor;
      } catch (error) {
        this.message = error.message;
      }
    },
    async open(id) {
      const item = this.items.find((entry) => entry.id === id);
      if (!item || item.read) return;
      await api.post('/me/inbox/' + id + '/read').catch(() => null);
      Object.assign(item, { read: true, css: 'read', state: '已读' });
    },
    async readAll() {
      await api.post('/me/inbox/read-all');
      this.items.forEach((item) => Object.assign(item, { read: true, css: 'read', state: '已读' }));
      const badge = document.querySelector('[data-unread]');
      if (badge) badge.hidden = true;
    },
  }));
});
