// Signing in: residents with one tap through WeChat, village agents and disaster
// officers with the username and password the bureau gave them.

const { fieldErrors } = require('../utils/api');

// The page a user lands on after signing in.
function landingPage(user) {
  if (user.role === 'disaster_officer') return '/pages/disaster-report/disaster-report';
  return '/pages/home/home';
}

async function signInWithWeChat(api) {
  const user = await api.loginWithWeChat();
  return { user, next: landingPage(user), needsRealName: user.role === 'citizen' && !user.real_name_verified };
}

async function signInWithPassword(api, { username, password }) {
  const missing = {};
  if (!username) missing.username = '请输入用户名';
  if (!password) missing.password = '请输入密码';
  if (Object.keys(missing).length) return { errors: missing };
  try {
    const user = await api.loginWithPassword(username.trim(), password);
    return { user, next: landingPage(user), errors: {} };
  } catch (error) {
    return { errors: fieldErrors(error), message: error.message };
  }
}

// 实名认证: a resident binds their name and identity number once, before applying.
async function verifyRealName(api, wx, { name, id_number: idNumber }) {
  try {
    const user = await api.act('/me/real-name', { name: (name || '').trim(), id_number: (idNumber || '').trim() });
    wx.setStorageSync('user', user);
    return { user, errors: {} };
  } catch (error) {
    return { errors: fieldErrors(error), message: error.message };
  }
}

module.exports = { landingPage, signInWithPassword, signInWithWeChat, verifyRealName };
