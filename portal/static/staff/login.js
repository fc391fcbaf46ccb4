// Staff sign-in: username and password; the session lives in httpOnly cookies.
(function () {
  const STAFF = ['township_staff', 'county_staff', 'registrar', 'admin'];
  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');

  function landing(role) {
    const next = new URLSearchParams(location.search).get('next');
    if (next && next.startsWith('/staff/') && !next.startsWith('/staff/login')) return next;
    return role === 'registrar' ? '/staff/registry' : '/staff/';
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    error.textContent = '';
    const { username, password } = window.staffUi.formData(form);
    if (!username || !password) {
      error.textContent = '请输入用户名和密码';
      return;
    }
    try {
      const answer = await window.staffApi.login(username.trim(), password);
      if (!STAFF.includes(answer.user.role)) {
        await window.staffApi.post('/auth/logout').catch(() => null);
        error.textContent = '该账号不是工作人员账号,请使用民政掌上办登录';
        return;
      }
      location.assign(landing(answer.user.role));
    } catch (failure) {
      error.textContent = failure.message;
    }
  });
})();
