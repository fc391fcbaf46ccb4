// 消息: the signed-in user's notifications, newest first.

function itemView(notification) {
  return {
    id: notification.id,
    title: notification.title,
    body: notification.body,
    read: notification.read,
    at: (notification.created_at || '').replace('T', ' ').slice(0, 16),
    caseId: (notification.data && notification.data.application_id) || null,
  };
}

async function load(api, { unreadOnly = false } = {}) {
  const [page, count] = await Promise.all([
    api.get(`/me/inbox?limit=50${unreadOnly ? '&unread=true' : ''}`),
    api.get('/me/inbox/unread-count'),
  ]);
  return { items: page.items.map(itemView), unread: count.unread };
}

async function markRead(api, id) {
  return itemView(await api.act(`/me/inbox/${id}/read`));
}

async function markAllRead(api) {
  return (await api.act('/me/inbox/read-all')).marked;
}

module.exports = { itemView, load, markAllRead, markRead };
