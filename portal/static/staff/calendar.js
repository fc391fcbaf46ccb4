// 工作日历: the days the State Council moves (调休上班, 放假), which deadlines count by.
(function () {
  const { boot, fail, flash, table, onSubmit, formData } = window.staffUi;

  async function load() {
    const answer = await window.staffApi.get('/calendar/overrides');
    document.getElementById('overrides').replaceChildren(table(['日期', '该日', '说明'],
      answer.items.map((o) => [o.day, o.is_working_day ? '上班' : '放假', o.note]), '尚无调整'));
  }

  onSubmit(document.getElementById('override-form'), async (form) => {
    const body = formData(form);
    body.is_working_day = body.is_working_day === 'true';
    const saved = await window.staffApi.put('/calendar/overrides', body);
    flash(`${saved.day} 已登记为${saved.is_working_day ? '上班日' : '放假日'}`, 'ok');
    await load();
  });

  boot(['county_staff', 'admin']).then(load).catch(fail);
})();
