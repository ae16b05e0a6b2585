document.getElementById("app").textContent = "Kashev";
